package dev.larder.model;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Random;

/**
 * A value as data: either text (counters, short strings, the empty value) or {@code size} random
 * bytes drawn from {@code seed}. Kept symbolic so that a failing sequence prints readably and
 * replays byte for byte.
 *
 * @param text the value as text, or null for random bytes
 * @param size the number of random bytes
 * @param seed the seed of the random bytes
 */
record Val(String text, int size, long seed) {

  static Val text(String text) {
    return new Val(text, 0, 0);
  }

  static Val random(int size, long seed) {
    return new Val(null, size, seed);
  }

  byte[] bytes() {
    if (text != null) {
      return text.getBytes(UTF_8);
    }
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A smaller value of the same kind, for shrinking; null if there is none. */
  Val smaller() {
    if (text != null) {
      return text.isEmpty() || text.equals("0") ? null : text("0");
    }
    if (size <= 1) {
      return null;
    }
    // Keep the side of the 1024-byte blob threshold: it often matters.
    return size >= 1024 ? (size > 1024 ? random(1024, seed) : null) : random(Math.max(1, size / 4), seed);
  }

  @Override
  public String toString() {
    return text != null ? '"' + text + '"' : "bytes(" + size + "#" + seed + ")";
  }
}
