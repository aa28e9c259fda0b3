package dev.larder.sim;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.tukaani.xz.XZInputStream;

/**
 * An access trace held in memory: one key per request, in request order. Immutable after reading;
 * the key array is not copied, so callers must not change it.
 *
 * @param name the short name, such as {@code web07}
 * @param keys the requested keys
 */
record Trace(String name, int[] keys) {

  /** Reads a cache2k trace: an xz-compressed sequence of big-endian signed 32-bit integers. */
  static Trace readXz(String name, Path file) throws IOException {
    try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      return new Trace(name, readInts(in));
    }
  }

  /**
   * Reads big-endian signed 32-bit integers until the end of {@code in}.
   *
   * @throws EOFException if the stream ends inside an integer
   */
  static int[] readInts(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
    int[] keys = new int[1 << 16];
    int n = 0;
    while (true) {
      int b0 = data.read();
      if (b0 < 0) {
        break;
      }
      int rest;
      try {
        rest = (data.readUnsignedByte() << 16) | (data.readUnsignedByte() << 8) | data.readUnsignedByte();
      } catch (EOFException e) {
        throw new EOFException("the trace ends inside an integer after " + n + " keys");
      }
      if (n == keys.length) {
        keys = Arrays.copyOf(keys, keys.length * 2);
      }
      keys[n++] = (b0 << 24) | rest;
    }
    return Arrays.copyOf(keys, n);
  }

  /** The number of requests. */
  int requests() {
    return keys.length;
  }

  /** The number of distinct keys. */
  int distinctKeys() {
    Set<Integer> seen = new HashSet<>();
    for (int k : keys) {
      seen.add(k);
    }
    return seen.size();
  }
}
