package dev.larder;

import dev.larder.internal.Codecs;
import java.io.ObjectInputFilter;

/**
 * Turns keys and values into bytes and back.
 *
 * <p>Every stored key starts with its codec's {@link #tag()}, so keys of different types never
 * collide: the string {@code "1"} and the long {@code 1L} are different keys, and a cache with
 * {@code Long} keys does not see string keys when it iterates. Values carry the tag too, for
 * tools; decoding does not depend on it.
 *
 * <p>Keys are compared as bytes (unsigned, lexicographic), so iteration order is the order of
 * {@link #encodeKey}. The built-in codecs encode numbers as sortable fixed-width keys and as
 * decimal text values, the form that {@link Cache#incr} and memcached counters share.
 *
 * <p>Implementations must be thread-safe and deterministic: equal objects encode to equal bytes,
 * in every process.
 *
 * @param <T> the Java type
 */
public interface Codec<T> {

  /**
   * The type tag stored as the first byte of every key, in 1..127. The built-in codecs use 1 to 5;
   * use 32 to 127 for your own.
   */
  int tag();

  /** Encodes a value. */
  byte[] encode(T value);

  /**
   * Decodes a value from {@code length} bytes at {@code offset}.
   *
   * @throws SerializationException when the bytes are not a valid encoding
   */
  T decode(byte[] bytes, int offset, int length);

  /**
   * Encodes a key. Must be injective; iteration follows the unsigned byte order of the result.
   * Defaults to {@link #encode}.
   */
  default byte[] encodeKey(T key) {
    return encode(key);
  }

  /** Decodes a key written by {@link #encodeKey}. Defaults to {@link #decode}. */
  default T decodeKey(byte[] bytes, int offset, int length) {
    return decode(bytes, offset, length);
  }

  /** Strings as UTF-8, the default key codec. Tag 1. */
  static Codec<String> string() {
    return Codecs.STRING;
  }

  /** Bytes as they are, the default value codec. Tag 2. */
  static Codec<byte[]> bytes() {
    return Codecs.BYTES;
  }

  /**
   * UTF-8 text held as bytes: keys that are equal to the {@link #string()} keys with the same
   * UTF-8 encoding, for code (such as a protocol server) that receives keys as bytes and must
   * share them with Java code that uses strings. Tag 1.
   */
  static Codec<byte[]> stringBytes() {
    return Codecs.STRING_BYTES;
  }

  /**
   * 64-bit integers: values as decimal text (the counter format of {@link Cache#incr} and of
   * memcached), keys as 8 sortable bytes, so keys iterate in numeric order. Tag 3.
   */
  static Codec<Long> int64() {
    return Codecs.INT64;
  }

  /**
   * Doubles: values as the text of {@link Double#toString(double)}, which reads back exactly; keys
   * as 8 sortable bytes in numeric order (with -0.0 before 0.0 and NaN last). Tag 4.
   */
  static Codec<Double> float64() {
    return Codecs.FLOAT64;
  }

  /**
   * Java serialization, only for the classes named here (and arrays of them); everything else is
   * refused on read by an {@link ObjectInputFilter}, so a crafted value cannot instantiate
   * arbitrary classes. Tag 5.
   *
   * <p>Serialized bytes depend on the class's serialized form: change a class incompatibly and
   * old values fail to decode with {@link SerializationException}. Prefer an explicit format
   * (JSON, protobuf) for anything long-lived.
   *
   * @param type the type of the values; it must be on the allow-list
   * @param allowed the classes allowed in a serialized graph, besides {@code type}; primitives,
   *     boxed primitives and {@link String} are always allowed
   */
  static <T> Codec<T> serializable(Class<T> type, Class<?>... allowed) {
    return Codecs.serializable(type, allowed);
  }
}
