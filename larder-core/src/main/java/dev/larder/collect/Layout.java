package dev.larder.collect;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Durability;
import dev.larder.EvictionPolicy;
import dev.larder.Larder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The keys of the persistent collections inside a cache directory, and how the directory is opened.
 *
 * <p>Every collection key is a byte-array key ({@link Codec#bytes()}, type tag 2) of the form
 * {@code [kind][name length u8][name UTF-8][part][rest]}, where {@code kind} is {@code 'D'} for a
 * deque and {@code 'I'} for an index, so collections of different names and kinds share a
 * directory without colliding. The directory is opened with {@link EvictionPolicy#NONE}: a
 * collection must never lose an element to eviction, so a full directory refuses writes with
 * {@link dev.larder.CacheFullException} instead.
 */
final class Layout {
  static final int MAX_NAME_BYTES = 200;

  private Layout() {}

  /** Opens the directory with byte-array keys and values and no eviction. */
  static Cache<byte[], byte[]> open(Path dir, Long maxSize, Durability durability) {
    Objects.requireNonNull(dir, "dir");
    Larder.Builder<byte[], byte[]> b = Larder.builder(dir).keyCodec(Codec.bytes()).valueCodec(Codec.bytes())
        .evictionPolicy(EvictionPolicy.NONE);
    if (maxSize != null) {
      b.maxSize(maxSize);
    }
    if (durability != null) {
      b.durability(durability);
    }
    return b.open();
  }

  /** The prefix {@code [kind][name length][name]} of a collection's keys. */
  static byte[] prefix(char kind, String name) {
    Objects.requireNonNull(name, "name");
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length == 0 || n.length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "a collection name must be 1 to " + MAX_NAME_BYTES + " bytes of UTF-8, got " + n.length + ": '" + name + "'");
    }
    byte[] p = new byte[2 + n.length];
    p[0] = (byte) kind;
    p[1] = (byte) n.length;
    System.arraycopy(n, 0, p, 2, n.length);
    return p;
  }

  /** {@code prefix + part + rest}. */
  static byte[] key(byte[] prefix, char part, byte[] rest, int restOffset, int restLength) {
    byte[] k = new byte[prefix.length + 1 + restLength];
    System.arraycopy(prefix, 0, k, 0, prefix.length);
    k[prefix.length] = (byte) part;
    System.arraycopy(rest, restOffset, k, prefix.length + 1, restLength);
    return k;
  }

  static byte[] key(byte[] prefix, char part, byte[] rest) {
    return key(prefix, part, rest, 0, rest.length);
  }

  static byte[] key(byte[] prefix, char part) {
    return key(prefix, part, new byte[0]);
  }

  /** {@code prefix + part + sortable(n)}: a signed long as 8 bytes that sort in numeric order. */
  static byte[] key(byte[] prefix, char part, long n) {
    return key(prefix, part, sortable(n));
  }

  static byte[] sortable(long n) {
    return u64(n ^ Long.MIN_VALUE);
  }

  static long unsortable(byte[] b, int off) {
    return readU64(b, off) ^ Long.MIN_VALUE;
  }

  static byte[] u64(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  static long readU64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  /** A long stored as an 8-byte value, or {@code dflt} when the value is absent. */
  static long longValue(byte[] v, long dflt) {
    return v == null ? dflt : readU64(v, 0);
  }

  /** The bytes of {@code key} after {@code prefixLength}. */
  static byte[] rest(byte[] key, int prefixLength) {
    return Arrays.copyOfRange(key, prefixLength, key.length);
  }

  static String describe(byte[] prefix) {
    return (char) prefix[0] + ":" + new String(prefix, 2, prefix[1] & 0xFF, StandardCharsets.UTF_8);
  }
}
