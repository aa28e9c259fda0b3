package dev.larder.bench;

import java.util.Map;

/**
 * The few operations a benchmark needs from a store, so that Larder and its peers run side by side
 * in one JMH run, selected by {@link StoreType} (after Caffeine's {@code BasicCache}).
 *
 * <p>Implementations are thread-safe: JMH calls them from several threads at once when run with
 * {@code -t 2} or more. They make no durability promise beyond their store's own.
 */
public interface BenchStore extends AutoCloseable {

  /** Returns the value for {@code key}, or {@code null} if there is none. */
  byte[] get(String key);

  /** Stores {@code value} under {@code key}, replacing any value, in one write transaction. */
  void put(String key, byte[] value);

  /**
   * Stores every entry, in as few transactions as the store allows. Used only to preload a store
   * before measuring; the default stores them one by one.
   */
  default void putAll(Map<String, byte[]> entries) {
    entries.forEach(this::put);
  }

  /** Closes the store. The files stay in the directory. */
  @Override
  void close();
}
