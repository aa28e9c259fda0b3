package dev.larder.jcache;

import dev.larder.Codec;
import java.util.Arrays;

/**
 * Bytes already in the {@link Serializer} format, passed through as they are under the same tag:
 * the provider serializes each key and value once per operation and hands Larder the bytes.
 * Thread-safe.
 */
final class RawCodec implements Codec<byte[]> {
  static final RawCodec INSTANCE = new RawCodec();

  private RawCodec() {}

  @Override
  public int tag() {
    return Serializer.TAG;
  }

  @Override
  public byte[] encode(byte[] value) {
    return value;
  }

  @Override
  public byte[] decode(byte[] bytes, int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  @Override
  public String toString() {
    return "JCache raw bytes (tag " + Serializer.TAG + ")";
  }
}
