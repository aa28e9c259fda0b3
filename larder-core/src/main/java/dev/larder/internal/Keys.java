package dev.larder.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The LMDB key of an entry. A full key (type tag plus codec bytes) of up to {@value
 * #MAX_STORED_KEY} bytes, LMDB's limit, is the LMDB key itself. A longer one is stored under its
 * first {@value #KEPT_PREFIX} bytes followed by its SHA-256, and the record holds the full key,
 * which reads compare. Keeping the prefix keeps long keys next to their neighbours (a scan sorts each group of long keys that share it) and lets prefix
 * iteration find them.
 */
public final class Keys {
  public static final int MAX_STORED_KEY = 511;
  public static final int KEPT_PREFIX = MAX_STORED_KEY - 32;
  /** The longest full key accepted. */
  public static final int MAX_KEY = 65_535;

  private Keys() {}

  /** The full key: the codec's tag then its bytes. */
  public static byte[] full(int tag, byte[] encoded) {
    if (encoded.length + 1 > MAX_KEY) {
      throw new IllegalArgumentException(
          "key is " + encoded.length + " bytes encoded; the limit is " + (MAX_KEY - 1));
    }
    byte[] k = new byte[encoded.length + 1];
    k[0] = (byte) tag;
    System.arraycopy(encoded, 0, k, 1, encoded.length);
    return k;
  }

  public static boolean isLong(byte[] full) {
    return full.length > MAX_STORED_KEY;
  }

  /** The LMDB key for a full key. */
  public static byte[] stored(byte[] full) {
    if (!isLong(full)) {
      return full;
    }
    byte[] k = Arrays.copyOf(full, MAX_STORED_KEY);
    System.arraycopy(sha256(full), 0, k, KEPT_PREFIX, 32);
    return k;
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
