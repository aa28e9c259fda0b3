package dev.larder.server;

/** Strict parsing of protocol numbers: decimal digits only, as memcached's safe_strto* accept. */
final class Numbers {
  private Numbers() {}

  /** Parses an unsigned decimal at most {@code max}; -1 when it is not one. */
  static long parseUnsigned(String s, long max) {
    int n = s.length();
    if (n == 0 || n > 19) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v <= max ? v : -1;
  }

  /** Parses a signed 32-bit decimal, or returns null. */
  static Integer parseInt32(String s) {
    boolean neg = s.startsWith("-");
    long v = parseUnsigned(neg ? s.substring(1) : s, neg ? 1L << 31 : Integer.MAX_VALUE);
    if (v < 0) {
      return null;
    }
    return (int) (neg ? -v : v);
  }

  /** Parses an unsigned 64-bit decimal into a long holding its bits, or returns null. */
  static Long parseUnsigned64(String s) {
    int n = s.length();
    if (n == 0 || n > 20) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseUnsignedLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
