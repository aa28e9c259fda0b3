package dev.larder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * The entry point of the {@code larder} command line and of {@code larder.jar}.
 *
 * <p>{@link #run(String...)} and {@link #run(Io, String...)} return the exit code instead of
 * exiting, so tests can run commands in-process. Each run opens the cache directory, does one
 * command and closes it. Not thread-safe: run one command at a time per {@link Io}.
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its exit code. */
  public static void main(String... args) {
    quietLogging();
    System.exit(run(args));
  }

  /** Runs one command on the process's standard streams and returns its exit code. */
  public static int run(String... args) {
    return run(Io.system(), args);
  }

  /**
   * Runs one command on the given streams and returns its exit code (see the top command's help
   * for the list). Expected failures are reported on {@code io.err()} as one line, never as a
   * stack trace.
   */
  public static int run(Io io, String... args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(io.out(), UTF_8));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(io.err(), UTF_8), true);
    ErrorHandler errors = new ErrorHandler();
    CommandLine cl = new CommandLine(new LarderCommand(io))
        .setOut(out)
        .setErr(err)
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors);
    int code = cl.execute(args);
    out.flush();
    try {
      io.out().flush();
    } catch (IOException e) {
      if (code == ExitCodes.OK) {
        err.println("larder: cannot write to standard output: " + e.getMessage());
        code = ExitCodes.ERROR;
      }
    }
    // PrintWriter keeps write errors to itself; a full disk or closed pipe must not look like success.
    if (out.checkError() && code == ExitCodes.OK) {
      err.println("larder: cannot write to standard output");
      code = ExitCodes.ERROR;
    }
    err.flush();
    return code;
  }

  /**
   * Shows the core's warnings but not its INFO lines (such as the sweep of files left by a crash),
   * which would clutter standard error on every run. Only for the real process: tests keep their
   * own logging.
   */
  private static void quietLogging() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "larder: %4$s: %5$s%6$s%n");
    }
    Logger.getLogger("").setLevel(Level.WARNING);
  }
}
