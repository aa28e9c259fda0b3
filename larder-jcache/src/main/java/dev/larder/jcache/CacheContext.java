package dev.larder.jcache;

import dev.larder.LarderException;
import dev.larder.jcache.EntryStore.Stored;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.EventType;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * What the operations of one {@link LarderJCache} share: its entries, serializer, expiry policy,
 * loader, writer, listeners, statistics and key locks, and the small steps every operation takes
 * (encode, decode, write through, load, check types). Thread-safe.
 */
final class CacheContext<K, V> {
  private static final int MAX_ATTEMPTS = 1000;

  private final String name;
  private final LarderConfiguration<K, V> configuration;
  private final EntryStore store;
  private final Serializer serializer;
  private final ExpiryTimes expiry;
  private final CacheLoader<K, V> loader;
  private final CacheWriter<? super K, ? super V> writer;
  private final EventDispatcher<K, V> events;
  private final CacheStatistics statistics;
  private final KeyLocks locks = new KeyLocks();
  private final Executor pool;
  private final InstantSource clock;
  private volatile boolean statisticsEnabled;
  private volatile boolean closed;

  /**
   * @param source the cache, as listeners see it
   * @param configuration the cache's own configuration; its types and flags must not change
   */
  CacheContext(Cache<K, V> source, String name, LarderConfiguration<K, V> configuration, Storage storage,
      Serializer serializer, Executor pool, InstantSource clock) {
    this.name = name;
    this.configuration = configuration;
    this.store = new EntryStore(storage.entries(), configuration.getTags());
    this.serializer = serializer;
    this.pool = pool;
    this.clock = clock;
    this.expiry = new ExpiryTimes(configuration.getExpiryPolicyFactory().create());
    this.loader = configuration.getCacheLoaderFactory() == null ? null : configuration.getCacheLoaderFactory().create();
    this.writer = configuration.getCacheWriterFactory() == null ? null : configuration.getCacheWriterFactory().create();
    this.events = new EventDispatcher<>(source, pool);
    for (CacheEntryListenerConfiguration<K, V> l : configuration.getCacheEntryListenerConfigurations()) {
      events.register(l);
    }
    this.statistics = new CacheStatistics(storage::evictions);
  }

  String name() {
    return name;
  }

  EntryStore store() {
    return store;
  }

  ExpiryTimes expiry() {
    return expiry;
  }

  EventDispatcher<K, V> events() {
    return events;
  }

  CacheStatistics statistics() {
    return statistics;
  }

  Executor pool() {
    return pool;
  }

  CacheLoader<K, V> loader() {
    return loader;
  }

  boolean statisticsEnabled() {
    return statisticsEnabled;
  }

  boolean readThrough() {
    return configuration.isReadThrough() && loader != null;
  }

  boolean writeThrough() {
    return configuration.isWriteThrough() && writer != null;
  }

  /** The cache writer, which accepts our keys and values. */
  @SuppressWarnings("unchecked")
  CacheWriter<K, V> writer() {
    return (CacheWriter<K, V>) writer;
  }

  KeyLocks.Held lock(byte[] key) {
    return locks.lock(key);
  }

  long now() {
    return clock.millis();
  }

  byte[] keyBytes(K key) {
    return serializer.encode(key);
  }

  byte[] valueBytes(V value) {
    return serializer.encode(value);
  }

  @SuppressWarnings("unchecked")
  K decodeKey(byte[] bytes) {
    return (K) decode(bytes);
  }

  @SuppressWarnings("unchecked")
  V decodeValue(byte[] bytes) {
    return (V) decode(bytes);
  }

  private Object decode(byte[] bytes) {
    try {
      return serializer.decode(bytes);
    } catch (LarderException e) {
      throw new CacheException(e.getMessage(), e);
    }
  }

  /** Decodes the value of {@code s} if some listener wants events of {@code type}, else {@code null}. */
  V valueFor(EventType type, Stored s) {
    return events.wants(type) ? decodeValue(s.value()) : null;
  }

  /** Counts an attempt of an operation; too many mean a key other processes never stop changing. */
  void attempt(int attempt, Object key) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new CacheException("gave up on key " + key + " of cache " + name + " after " + MAX_ATTEMPTS
          + " attempts: other processes kept changing it");
    }
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("cache " + name + " is closed");
    }
  }

  /** Checks a key and value against the configured types (runtime type checking). */
  void checkTypes(K key, V value) {
    Class<K> keyType = configuration.getKeyType();
    if (keyType != Object.class && !keyType.isInstance(key)) {
      throw new ClassCastException("key " + key + " of cache " + name + " is not a " + keyType.getName());
    }
    Class<V> valueType = configuration.getValueType();
    if (value != null && valueType != Object.class && !valueType.isInstance(value)) {
      throw new ClassCastException("value " + value + " of cache " + name + " is not a " + valueType.getName());
    }
  }

  /** Writes through to the cache writer, wrapping its failures as the specification asks. */
  void writeThrough(K key, V value) {
    if (!writeThrough()) {
      return;
    }
    try {
      writer.write(new CacheEntry<>(key, value));
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("the cache writer of " + name + " failed to write " + key + ": " + e, e);
    }
  }

  /** Deletes through to the cache writer. */
  void deleteThrough(K key) {
    if (!writeThrough()) {
      return;
    }
    try {
      writer.delete(key);
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("the cache writer of " + name + " failed to delete " + key + ": " + e, e);
    }
  }

  /** Loads through the cache loader, wrapping its failures as the specification asks. */
  V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("the cache loader of " + name + " failed to load " + key + ": " + e, e);
    }
  }

  void statisticsEnabled(boolean enabled) {
    statisticsEnabled = enabled;
  }

  boolean isClosed() {
    return closed;
  }

  /** Marks the cache closed and closes the user objects it made; whether it was open before. */
  boolean close() {
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
    }
    Closing.close(loader, "cache loader");
    Closing.close(writer, "cache writer");
    expiry.close();
    events.close();
    return true;
  }
}
