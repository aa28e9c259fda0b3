package dev.larder.spring;

import dev.larder.Codec;
import dev.larder.SerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import org.springframework.cache.support.NullValue;

/**
 * Java serialization of Spring cache values, limited by a serialization filter that is checked
 * when a value is written as well as when it is read, so that a class the filter refuses fails at
 * {@code put} with its name rather than later at {@code get}. Thread-safe.
 *
 * <p>The filter has the syntax of {@code jdk.serialFilter}; Spring's {@code NullValue} is always
 * allowed. Decision: a filter by default (the JDK's own classes only) rather than plain Java
 * serialization, because anyone who can write to the cache directory could otherwise make every
 * process that reads it instantiate any class on its class path.
 */
final class SerializingCodec implements Codec<Object> {
  /** The Larder codec tag of Spring cache values. */
  static final int TAG = 41;

  /** The filter when none is given: classes of the JDK's base module only. */
  static final String DEFAULT_FILTER = "maxdepth=100;java.base/*;!*";

  private final String pattern;
  private final ObjectInputFilter filter;
  private final ClassLoader loader;

  SerializingCodec(String pattern, ClassLoader loader) {
    this.pattern = pattern;
    this.filter = ObjectInputFilter.Config.createFilter(NullValue.class.getName() + ";" + pattern);
    this.loader = loader;
  }

  @Override
  public int tag() {
    return TAG;
  }

  @Override
  public byte[] encode(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (ObjectOutputStream out = new CheckingOutputStream(bytes)) {
      out.writeObject(value);
    } catch (RefusedClassException e) {
      throw new IllegalArgumentException("cannot cache a " + value.getClass().getName() + ": it holds a "
          + e.getMessage() + ", which the serialization filter '" + pattern + "' does not allow; "
          + "name its package in LarderCacheManager.Builder.serialFilter", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot cache a " + value.getClass().getName()
          + ": it is not serializable (" + e + ")", e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Object decode(byte[] bytes, int offset, int length) {
    try (ObjectInputStream in = new LoaderInputStream(new ByteArrayInputStream(bytes, offset, length), loader)) {
      ObjectInputFilter jvm = in.getObjectInputFilter(); // the JVM-wide filter stays in force
      in.setObjectInputFilter(jvm == null ? filter : ObjectInputFilter.merge(filter, jvm));
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new SerializationException("cannot read a cached value (serialization filter '" + pattern + "'): " + e, e);
    }
  }

  @Override
  public String toString() {
    return "Java serialization filtered by '" + pattern + "' (tag " + TAG + ")";
  }

  /** A class the filter refuses, found while writing. */
  private static final class RefusedClassException extends InvalidClassException {
    private static final long serialVersionUID = 1L;

    RefusedClassException(String className) {
      super(className);
    }
  }

  /** Checks every class it writes against the filter. */
  private final class CheckingOutputStream extends ObjectOutputStream {
    CheckingOutputStream(OutputStream out) throws IOException {
      super(out);
    }

    @Override
    protected void annotateClass(Class<?> type) throws IOException {
      if (filter.checkInput(new ClassInfo(type)) == ObjectInputFilter.Status.REJECTED) {
        throw new RefusedClassException(type.getName());
      }
    }
  }

  /** What the filter sees of one class written. */
  private record ClassInfo(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {
    @Override
    public long arrayLength() {
      return -1;
    }

    @Override
    public long depth() {
      return 1;
    }

    @Override
    public long references() {
      return 0;
    }

    @Override
    public long streamBytes() {
      return 0;
    }
  }

  /** Resolves classes through a given class loader first. */
  private static final class LoaderInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // fall back to the default resolution
        }
      }
      return super.resolveClass(desc);
    }
  }
}
