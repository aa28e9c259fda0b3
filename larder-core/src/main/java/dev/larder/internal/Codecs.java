package dev.larder.internal;

import dev.larder.Codec;
import dev.larder.SerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/** The built-in codecs behind the factories of {@link Codec}. */
public final class Codecs {
  public static final int TAG_STRING = 1;
  public static final int TAG_BYTES = 2;
  public static final int TAG_INT64 = 3;
  public static final int TAG_FLOAT64 = 4;
  public static final int TAG_SERIALIZED = 5;

  private Codecs() {}

  public static final Codec<String> STRING =
      new Codec<>() {
        @Override
        public int tag() {
          return TAG_STRING;
        }

        @Override
        public byte[] encode(String value) {
          return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes, int offset, int length) {
          return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
          return "Codec.string()";
        }
      };

  public static final Codec<byte[]> BYTES = bytesCodec(TAG_BYTES, "Codec.bytes()");

  public static final Codec<byte[]> STRING_BYTES = bytesCodec(TAG_STRING, "Codec.stringBytes()");

  private static Codec<byte[]> bytesCodec(int tag, String name) {
    return new Codec<>() {
      @Override
      public int tag() {
        return tag;
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
        return name;
      }
    };
  }

  public static final Codec<Long> INT64 =
      new Codec<>() {
        @Override
        public int tag() {
          return TAG_INT64;
        }

        @Override
        public byte[] encode(Long value) {
          return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public Long decode(byte[] bytes, int offset, int length) {
          return Counters.parse(bytes, offset, length);
        }

        @Override
        public byte[] encodeKey(Long key) {
          return Bytes.ofLong(key ^ Long.MIN_VALUE);
        }

        @Override
        public Long decodeKey(byte[] bytes, int offset, int length) {
          if (length != 8) {
            throw new SerializationException("an int64 key has 8 bytes, got " + length);
          }
          return Bytes.getLong(bytes, offset) ^ Long.MIN_VALUE;
        }

        @Override
        public String toString() {
          return "Codec.int64()";
        }
      };

  public static final Codec<Double> FLOAT64 =
      new Codec<>() {
        @Override
        public int tag() {
          return TAG_FLOAT64;
        }

        @Override
        public byte[] encode(Double value) {
          return Double.toString(value).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public Double decode(byte[] bytes, int offset, int length) {
          String text = new String(bytes, offset, length, StandardCharsets.US_ASCII);
          try {
            return Double.valueOf(text);
          } catch (NumberFormatException e) {
            throw new SerializationException("not a float64 value: '" + text + "'", e);
          }
        }

        @Override
        public byte[] encodeKey(Double key) {
          // Flip the sign bit of positives and every bit of negatives: unsigned order = numeric order.
          long bits = Double.doubleToLongBits(key);
          bits ^= (bits >> 63) | Long.MIN_VALUE;
          return Bytes.ofLong(bits);
        }

        @Override
        public Double decodeKey(byte[] bytes, int offset, int length) {
          if (length != 8) {
            throw new SerializationException("a float64 key has 8 bytes, got " + length);
          }
          long bits = Bytes.getLong(bytes, offset);
          bits ^= ((~bits) >> 63) | Long.MIN_VALUE;
          return Double.longBitsToDouble(bits);
        }

        @Override
        public String toString() {
          return "Codec.float64()";
        }
      };

  public static <T> Codec<T> serializable(Class<T> type, Class<?>... allowed) {
    Objects.requireNonNull(type, "type");
    Set<Class<?>> classes = new HashSet<>(Arrays.asList(allowed));
    classes.add(type);
    for (Class<?> c : classes) {
      Objects.requireNonNull(c, "allowed class");
    }
    return new SerializableCodec<>(type, Set.copyOf(classes));
  }

  private static final class SerializableCodec<T> implements Codec<T> {
    private static final Set<Class<?>> ALWAYS =
        Set.of(String.class, Boolean.class, Byte.class, Character.class, Short.class,
            Integer.class, Long.class, Float.class, Double.class, Number.class, Enum.class);

    private final Class<T> type;
    private final Set<Class<?>> allowed;
    private final ObjectInputFilter filter;

    SerializableCodec(Class<T> type, Set<Class<?>> allowed) {
      this.type = type;
      this.allowed = allowed;
      this.filter = this::check;
    }

    private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
      if (info.depth() > 64 || info.references() > 100_000 || info.arrayLength() > 100_000_000) {
        return ObjectInputFilter.Status.REJECTED;
      }
      Class<?> c = info.serialClass();
      if (c == null) {
        return ObjectInputFilter.Status.UNDECIDED;
      }
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.isPrimitive() || ALWAYS.contains(c) || allowed.contains(c)
          || (c.isEnum() && allowed.contains(c.getDeclaringClass()))) {
        return ObjectInputFilter.Status.ALLOWED;
      }
      return ObjectInputFilter.Status.REJECTED;
    }

    @Override
    public int tag() {
      return TAG_SERIALIZED;
    }

    @Override
    public byte[] encode(T value) {
      if (!type.isInstance(value)) {
        throw new SerializationException("not a " + type.getName() + ": " + value.getClass().getName());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
        oos.writeObject(value);
      } catch (IOException e) {
        throw new SerializationException("cannot serialize a " + value.getClass().getName(), e);
      }
      return out.toByteArray();
    }

    @Override
    public T decode(byte[] bytes, int offset, int length) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes, offset, length))) {
        in.setObjectInputFilter(filter);
        Object o = in.readObject();
        if (!type.isInstance(o)) {
          throw new SerializationException("stored object is a " + o.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(o);
      } catch (InvalidClassException e) {
        throw new SerializationException(
            "refused to deserialize: " + e.getMessage() + " (not on the allow-list " + names() + ")", e);
      } catch (IOException | ClassNotFoundException e) {
        throw new SerializationException("cannot deserialize a " + type.getName() + ": " + e, e);
      }
    }

    private String names() {
      return allowed.stream().map(Class::getName).sorted().toList().toString();
    }

    @Override
    public String toString() {
      return "Codec.serializable(" + names() + ")";
    }
  }
}
