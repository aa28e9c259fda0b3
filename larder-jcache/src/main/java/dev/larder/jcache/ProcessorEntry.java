package dev.larder.jcache;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} works on: it records what the processor
 * did, and the cache applies the net effect afterwards (one write, one writer call, one event), as
 * the specification describes. Not thread-safe: it belongs to one {@code invoke}.
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
  /** The net effect of a processor on its entry. */
  enum Operation {
    /** Nothing, or nothing visible (a value set and removed again). */
    NONE,
    /** The existing value was read. */
    ACCESS,
    /** A missing value was loaded through the cache loader and not changed. */
    LOAD,
    /** A value was set where there was none. */
    CREATE,
    /** The existing value was replaced. */
    UPDATE,
    /** The entry was removed. */
    REMOVE
  }

  private final K key;
  private final Supplier<V> existing;
  private final Function<K, V> loader;
  private V original;
  private boolean originalRead;
  private V value;
  private Operation operation = Operation.NONE;

  /**
   * @param existing decodes the value the entry had when the processor started, or {@code null}
   *     if there was none
   * @param loader the read-through loader, or {@code null} if the cache does not read through
   */
  ProcessorEntry(K key, Supplier<V> existing, Function<K, V> loader) {
    this.key = key;
    this.existing = existing;
    this.loader = loader;
  }

  /** The value the entry had when the processor started, or {@code null}. */
  V original() {
    if (!originalRead) {
      original = existing == null ? null : existing.get();
      originalRead = true;
    }
    return original;
  }

  Operation operation() {
    return operation;
  }

  /** The value the processor left (for CREATE, UPDATE and LOAD). */
  V value() {
    return value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (operation == Operation.NONE) {
      value = existing == null ? null : original();
      if (value != null) {
        operation = Operation.ACCESS;
      }
    }
    if (value == null && operation != Operation.REMOVE && loader != null) {
      value = loader.apply(key);
      if (value != null) {
        operation = Operation.LOAD;
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return (operation == Operation.NONE && existing != null) || value != null;
  }

  @Override
  public void remove() {
    // Removing a value the processor created or loaded leaves nothing to do; otherwise the removal
    // goes through to the writer even when there was no entry (the writer's store may have one).
    operation = operation == Operation.CREATE || operation == Operation.LOAD ? Operation.NONE : Operation.REMOVE;
    value = null;
  }

  @Override
  public void setValue(V newValue) {
    Objects.requireNonNull(newValue, "value");
    operation = existing == null ? Operation.CREATE : Operation.UPDATE;
    value = newValue;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("an entry processor's entry cannot be unwrapped to " + clazz.getName());
  }
}
