package dev.larder.jcache;

import dev.larder.Codec;
import dev.larder.SerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of JCache keys and values: store-by-value as the specification asks, readable by every
 * process that shares the directory. Thread-safe.
 *
 * <h2>Format</h2>
 *
 * Larder puts the codec tag {@value #TAG} in front of every key (and records it with every value).
 * After it comes one byte naming the kind, then the payload:
 *
 * <table>
 *   <caption>kinds</caption>
 *   <tr><th>byte</th><th>kind</th><th>payload</th></tr>
 *   <tr><td>0</td><td>any {@link java.io.Serializable}</td><td>a Java serialization stream</td></tr>
 *   <tr><td>1</td><td>{@link String}</td><td>UTF-8</td></tr>
 *   <tr><td>2</td><td>{@link Long}</td><td>8 bytes, big-endian, sign bit flipped</td></tr>
 *   <tr><td>3</td><td>{@link Integer}</td><td>4 bytes, big-endian, sign bit flipped</td></tr>
 *   <tr><td>4</td><td>{@code byte[]}</td><td>the bytes</td></tr>
 * </table>
 *
 * <p>Decision: strings and numbers, by far the most common keys, get a compact form of their own
 * (a {@code Long} key is 9 bytes instead of 82 of serialization), which also makes them sort in
 * their natural order and readable to tools; everything else goes through Java serialization, which
 * is what JCache's store-by-value means for arbitrary objects. A JSON or schema codec was rejected:
 * JCache caches hold any {@code Serializable}.
 *
 * <p>Keys are found by their bytes, so two keys are the same key when they serialize to the same
 * bytes. For strings, numbers and well-behaved value classes that is the same as {@code equals};
 * a class whose serialized form holds state that {@code equals} ignores (a cached hash, say) must
 * mark that state {@code transient}.
 *
 * <p>Classes are resolved through the cache manager's class loader first. Deserialization runs the
 * JVM-wide serialization filter ({@code jdk.serialFilter}) and, if the cache has one, its own
 * filter (see {@link LarderConfiguration#setSerialFilter}).
 */
final class Serializer implements Codec<Object> {
  /** The Larder codec tag of JCache keys and values. */
  static final int TAG = 40;

  private static final byte SERIALIZED = 0;
  private static final byte STRING = 1;
  private static final byte LONG = 2;
  private static final byte INTEGER = 3;
  private static final byte BYTES = 4;

  private final ClassLoader loader;
  private final ObjectInputFilter filter;

  /**
   * @param loader the class loader for deserialization, or {@code null} for the default
   * @param filter a serialization filter pattern ({@link ObjectInputFilter.Config#createFilter}
   *     syntax), or {@code null} for none beyond the JVM-wide one
   */
  Serializer(ClassLoader loader, String filter) {
    this.loader = loader;
    this.filter = filter == null ? null : ObjectInputFilter.Config.createFilter(filter);
  }

  @Override
  public int tag() {
    return TAG;
  }

  @Override
  public byte[] encode(Object value) {
    if (value instanceof String) {
      byte[] s = ((String) value).getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[1 + s.length];
      out[0] = STRING;
      System.arraycopy(s, 0, out, 1, s.length);
      return out;
    }
    if (value instanceof Long) {
      long v = (Long) value ^ Long.MIN_VALUE;
      byte[] out = new byte[9];
      out[0] = LONG;
      for (int i = 0; i < 8; i++) {
        out[1 + i] = (byte) (v >>> (56 - 8 * i));
      }
      return out;
    }
    if (value instanceof Integer) {
      int v = (Integer) value ^ Integer.MIN_VALUE;
      return new byte[] {INTEGER, (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
    if (value instanceof byte[]) {
      byte[] b = (byte[]) value;
      byte[] out = new byte[1 + b.length];
      out[0] = BYTES;
      System.arraycopy(b, 0, out, 1, b.length);
      return out;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    bytes.write(SERIALIZED);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      // NotSerializableException mostly: store-by-value cannot copy the object.
      throw new IllegalArgumentException("cannot store an instance of " + value.getClass().getName()
          + " by value: it is not serializable (" + e + ")", e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Object decode(byte[] bytes, int offset, int length) {
    if (length < 1) {
      throw new SerializationException("an empty JCache key or value");
    }
    int at = offset + 1;
    int n = length - 1;
    switch (bytes[offset]) {
      case STRING:
        return new String(bytes, at, n, StandardCharsets.UTF_8);
      case LONG: {
        checkLength(n, 8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
          v = (v << 8) | (bytes[at + i] & 0xFF);
        }
        return v ^ Long.MIN_VALUE;
      }
      case INTEGER: {
        checkLength(n, 4);
        int v = ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
            | (bytes[at + 3] & 0xFF);
        return v ^ Integer.MIN_VALUE;
      }
      case BYTES:
        return Arrays.copyOfRange(bytes, at, at + n);
      case SERIALIZED:
        return deserialize(new ByteArrayInputStream(bytes, at, n));
      default:
        throw new SerializationException("not a JCache key or value: kind byte " + bytes[offset]);
    }
  }

  /** Decodes a whole array. */
  Object decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  private static void checkLength(int actual, int expected) {
    if (actual != expected) {
      throw new SerializationException("a JCache number of " + actual + " bytes, expected " + expected);
    }
  }

  private Object deserialize(InputStream in) {
    try (ObjectInputStream objects = new LoaderObjectInputStream(in, loader)) {
      if (filter != null) {
        // Merged with the JVM-wide filter, which stays in force.
        ObjectInputFilter jvm = objects.getObjectInputFilter();
        objects.setObjectInputFilter(jvm == null ? filter : ObjectInputFilter.merge(filter, jvm));
      }
      return objects.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new SerializationException("cannot deserialize a JCache key or value: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "JCache serializer (tag " + TAG + ")";
  }

  /** Resolves classes through a given class loader first, then as Java serialization does. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // fall through to the default resolution (primitives, the caller's loader)
        }
      }
      return super.resolveClass(desc);
    }
  }
}
