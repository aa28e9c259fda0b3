package dev.larder.cli;

/**
 * An expected failure found by the command line itself, such as a missing cache directory. Its
 * message is printed on standard error and the run exits with {@link ExitCodes#ERROR}.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
