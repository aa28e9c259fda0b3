package dev.larder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top {@code larder} command: holds the streams and lists the subcommands. Each subcommand is
 * a class of its own; a later {@code serve} command joins the list in the same way.
 */
@Command(
    name = "larder",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "A persistent, process-safe cache kept in a directory on local disk.",
      "Every command takes --dir DIR (default ./larder-data, relative to the current directory) "
          + "and --help."
    },
    subcommands = {
      PutCommand.class,
      GetCommand.class,
      DeleteCommand.class,
      IncrCommand.class,
      KeysCommand.class,
      StatsCommand.class,
      CheckCommand.class,
      CompactCommand.class,
      ServeCommand.class,
      HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:get, delete: the key has no live entry (nothing is printed)",
      "2:usage error (bad option or argument); check: problems were found (with --fix too)",
      "3:the cache failed or refused: corruption, storage error, not a counter, no cache directory",
      "4:unexpected internal error (a bug; the stack trace is printed)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  larder put greeting hello",
      "  larder get greeting",
      "  larder put --ttl 5m --tag report report.pdf < report.pdf",
      "  larder incr visits",
      "  larder serve --port 11311 --max-size 8g",
      "  larder compact",
      "  larder help get"
    })
final class LarderCommand implements Callable<Integer> {
  private final Io io;

  @Spec CommandSpec spec;

  LarderCommand(Io io) {
    this.io = io;
  }

  /** The streams of this run. */
  Io io() {
    return io;
  }

  /** Without a subcommand there is nothing to do: prints the help on standard error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
