package dev.larder.server;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One framed request from a client: the tokens of its command line and, for storage commands, its
 * data block; or a reply the decoder already knows (a framing error). Tokens are ISO-8859-1
 * strings, so each char is one byte of the line and keys convert back to their exact bytes.
 */
final class Request {
  /** The command line split on spaces, empty tokens dropped; never empty unless this is an error. */
  final List<String> tokens;
  /** The data block of a storage command (without its CRLF), or null. */
  final byte[] data;
  /** A reply decided while framing (a protocol error), or null. */
  final String error;
  /** For an oversize value that was swallowed: the key, so that a set can drop the old value. */
  final boolean tooLarge;
  /** Whether the connection closes after this reply (the stream cannot be resynchronised). */
  final boolean close;

  private Request(List<String> tokens, byte[] data, String error, boolean tooLarge, boolean close) {
    this.tokens = tokens;
    this.data = data;
    this.error = error;
    this.tooLarge = tooLarge;
    this.close = close;
  }

  static Request command(List<String> tokens, byte[] data) {
    return new Request(tokens, data, null, false, false);
  }

  static Request error(String reply) {
    return new Request(List.of(), null, reply, false, false);
  }

  /** An error after which the connection is closed. */
  static Request fatal(String reply) {
    return new Request(List.of(), null, reply, false, true);
  }

  /** A storage command whose value exceeded the item size limit: its data is being skipped. */
  static Request tooLarge(List<String> tokens) {
    return new Request(tokens, null, "SERVER_ERROR object too large for cache", true, false);
  }

  String command() {
    return tokens.isEmpty() ? "" : tokens.get(0);
  }

  static byte[] bytes(String token) {
    return token.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return error != null ? "Request[error " + error + ", " + tokens + "]"
        : "Request" + tokens + (data != null ? " + " + data.length + " bytes" : "");
  }
}
