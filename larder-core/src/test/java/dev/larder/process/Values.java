package dev.larder.process;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Self-checking values for multi-process tests: the key, a payload and a CRC32 of both, so a
 * reader can tell that a value is whole and belongs to the key it was read from.
 */
final class Values {
  private Values() {}

  static byte[] make(String key, Random random, int payload) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(2 + k.length + payload + 8);
    b.putShort((short) k.length).put(k);
    byte[] p = new byte[payload];
    random.nextBytes(p);
    b.put(p);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putLong(crc.getValue());
    return b.array();
  }

  /** Deterministic value number {@code n} of a key: the crash test recomputes what was written. */
  static byte[] numbered(String key, long n) {
    Random r = new Random(n * 31 + key.hashCode());
    int size = n % 7 == 0 ? 3000 + (int) (n % 500) : 20 + (int) (n % 300);
    return make(key, r, size);
  }

  /** Null when the value is whole and belongs to {@code key}, otherwise what is wrong. */
  static String verify(String key, byte[] v) {
    if (v.length < 10) {
      return "too short: " + v.length;
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    int kl = b.getShort() & 0xFFFF;
    if (2 + kl + 8 > v.length) {
      return "bad key length " + kl;
    }
    String k = new String(v, 2, kl, StandardCharsets.UTF_8);
    if (!k.equals(key)) {
      return "value of '" + k + "' found under '" + key + "'";
    }
    CRC32 crc = new CRC32();
    crc.update(v, 0, v.length - 8);
    long stored = ByteBuffer.wrap(v, v.length - 8, 8).getLong();
    return crc.getValue() == stored ? null : "checksum mismatch";
  }

  static boolean same(byte[] a, byte[] b) {
    return Arrays.equals(a, b);
  }
}
