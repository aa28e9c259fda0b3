package dev.larder.cli;

/** The exit codes of the command line; {@link LarderCommand} lists them in its help. */
final class ExitCodes {
  private ExitCodes() {}

  /** The command did what was asked. */
  static final int OK = 0;

  /** {@code get} or {@code delete}: there is no live entry for the key. */
  static final int ABSENT = 1;

  /** A bad command line: picocli's code for invalid input. */
  static final int USAGE = 2;

  /**
   * {@code check} found problems, whether or not {@code --fix} repaired them. The same number as
   * {@link #USAGE}; the message on standard error tells them apart.
   */
  static final int PROBLEMS = 2;

  /** The cache refused or failed: corruption, an I/O error, a value that is not a counter. */
  static final int ERROR = 3;

  /** A bug in Larder: an exception nobody expected. The stack trace is printed. */
  static final int INTERNAL = 4;
}
