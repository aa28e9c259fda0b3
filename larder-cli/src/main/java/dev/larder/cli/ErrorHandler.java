package dev.larder.cli;

import dev.larder.LarderException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where exceptions become exit codes and messages. Usage errors print the message
 * and a pointer to {@code --help} (not the whole help, which would bury the message) and exit with
 * {@link ExitCodes#USAGE}. Failures of the cache and of I/O print one line and exit with {@link
 * ExitCodes#ERROR}. Anything else is a bug: its stack trace is printed and the exit code is {@link
 * ExitCodes#INTERNAL}.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    err.println(name + ": " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + name + " --help' for more information.");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    if (isExpected(ex)) {
      err.println(name + ": " + describe(ex));
      err.flush();
      return ExitCodes.ERROR;
    }
    err.println(name + ": internal error, please report it: " + ex);
    ex.printStackTrace(err);
    err.flush();
    return ExitCodes.INTERNAL;
  }

  /**
   * Whether {@code ex} is a failure the user can meet without a bug in Larder. The core reports
   * bad values (a key too long, a value over the size limit, a directory that is not a cache) with
   * {@link IllegalArgumentException}, and domain failures with {@link LarderException}.
   */
  private static boolean isExpected(Exception ex) {
    return ex instanceof LarderException
        || ex instanceof IllegalArgumentException
        || ex instanceof CliException
        || ex instanceof IOException
        || ex instanceof UncheckedIOException;
  }

  private static String describe(Exception ex) {
    if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      return "I/O error: " + ex.getMessage();
    }
    return ex.getMessage() != null ? ex.getMessage() : ex.toString();
  }
}
