package dev.larder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * What one run of the command line produced.
 *
 * @param code the exit code
 * @param out the bytes written to standard output
 * @param err standard error as text
 */
record CliResult(int code, byte[] out, String err) {

  /** Standard output as UTF-8 text. */
  String text() {
    return new String(out, UTF_8);
  }

  @Override
  public String toString() {
    return "exit " + code + ", stdout " + out.length + " bytes: '" + abbreviate(text()) + "', stderr: '" + err + "'";
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
