package dev.larder.internal;

import dev.larder.SerializationException;
import java.nio.charset.StandardCharsets;

/** Counter values: signed 64-bit integers as decimal ASCII, memcached's format. */
public final class Counters {
  private Counters() {}

  /** Parses a counter; surrounding spaces are tolerated, as memcached pads decremented values. */
  public static long parse(byte[] b, int off, int len) {
    int start = off;
    int end = off + len;
    while (start < end && b[start] == ' ') {
      start++;
    }
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\r' || b[end - 1] == '\n')) {
      end--;
    }
    if (start == end || end - start > 20) {
      throw notANumber(b, off, len);
    }
    boolean negative = b[start] == '-';
    int i = negative ? start + 1 : start;
    if (i == end) {
      throw notANumber(b, off, len);
    }
    long v = 0;
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        throw notANumber(b, off, len);
      }
      // Accumulate negatively so that Long.MIN_VALUE parses.
      if (v < (Long.MIN_VALUE + d) / 10) {
        throw notANumber(b, off, len);
      }
      v = v * 10 - d;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        throw notANumber(b, off, len);
      }
      v = -v;
    }
    return v;
  }

  public static byte[] format(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }

  private static SerializationException notANumber(byte[] b, int off, int len) {
    String text = new String(b, off, Math.min(len, 40), StandardCharsets.ISO_8859_1);
    return new SerializationException(
        "cannot increment or decrement a value that is not a decimal 64-bit integer: '" + text
            + (len > 40 ? "...'" : "'"));
  }
}
