package dev.larder.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * memcached 1.6's text-protocol authentication ({@code memcached -Y file}): a file of {@code
 * user:password} lines. A client authenticates by sending {@code set <any key> <flags> <exptime>
 * <len>} with the data {@code <user> <password>}, and gets {@code STORED}; any other first command
 * gets {@code CLIENT_ERROR unauthenticated}, a wrong pair {@code CLIENT_ERROR authentication
 * failure}, and the connection is closed (checked against memcached 1.6.18 with {@code -Y}). Read
 * once at start. Immutable and thread-safe.
 */
final class AuthFile {
  private final Map<String, byte[]> passwords;

  private AuthFile(Map<String, byte[]> passwords) {
    this.passwords = passwords;
  }

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException if it has no valid line
   * @throws UncheckedIOException if it cannot be read
   */
  static AuthFile read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the auth file " + file, e);
    }
    Map<String, byte[]> map = new HashMap<>();
    for (String line : lines) {
      String l = line.strip();
      int colon = l.indexOf(':');
      if (l.isEmpty() || colon <= 0) {
        continue;
      }
      map.put(l.substring(0, colon), l.substring(colon + 1).getBytes(StandardCharsets.ISO_8859_1));
    }
    if (map.isEmpty()) {
      throw new IllegalArgumentException("the auth file has no user:password line: " + file);
    }
    return new AuthFile(map);
  }

  /** The outcome of a check. */
  enum Check { OK, BAD_FORMAT, FAILED }

  /** Checks {@code data}, which should be {@code "<user> <password>"}. */
  Check check(byte[] data) {
    String s = new String(data, StandardCharsets.ISO_8859_1);
    int sp = s.indexOf(' ');
    if (sp <= 0) {
      return Check.BAD_FORMAT;
    }
    byte[] expected = passwords.get(s.substring(0, sp));
    byte[] given = s.substring(sp + 1).strip().getBytes(StandardCharsets.ISO_8859_1);
    // Compared in constant time; an unknown user still costs a comparison.
    boolean same = MessageDigest.isEqual(expected != null ? expected : new byte[given.length + 1], given);
    return same && expected != null ? Check.OK : Check.FAILED;
  }
}
