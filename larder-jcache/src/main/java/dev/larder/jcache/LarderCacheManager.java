package dev.larder.jcache;

import dev.larder.Durability;
import dev.larder.EvictionPolicy;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;

/**
 * A JCache cache manager over one directory. Thread-safe; the directory is shared with every other
 * manager and process that names it (see {@link LarderCachingProvider}).
 *
 * <p>The caches a manager knows are those created through it in this JVM: {@link #getCache} does
 * not find a cache that only another process created, and {@link #getCacheNames} does not list it.
 * {@link #createCache} attaches to the entries a cache of that name already has in the directory,
 * left by another process or an earlier run; {@link #destroyCache} removes them for every process,
 * whether or not this manager knows the cache.
 */
final class LarderCacheManager implements CacheManager {
  static final String MAX_SIZE = "larder.maxSize";
  static final String MAX_ENTRIES = "larder.maxEntries";
  static final String EVICTION_POLICY = "larder.evictionPolicy";
  static final String DURABILITY = "larder.durability";

  private final LarderCachingProvider provider;
  private final URI uri;
  private final Path directory;
  private final WeakReference<ClassLoader> classLoader;
  private final Properties properties;
  private final Executor pool;
  private final InstantSource clock;
  private final Map<String, LarderJCache<?, ?>> caches = new LinkedHashMap<>();
  private dev.larder.Cache<byte[], byte[]> shared;
  private volatile boolean closed;

  LarderCacheManager(LarderCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties,
      Executor pool, InstantSource clock) {
    this.provider = provider;
    this.uri = uri;
    this.directory = Directories.directoryOf(uri);
    this.classLoader = new WeakReference<>(classLoader);
    this.properties = new Properties();
    this.properties.putAll(properties);
    this.pool = pool;
    this.clock = clock;
    durability(); // validates the properties early
    eviction();
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader.get();
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  /** The directory this manager's URI names. */
  Path directory() {
    return directory;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(configuration, "configuration");
    LarderConfiguration<K, V> config = LarderConfiguration.copyOf(configuration);
    if (!config.isStoreByValue()) {
      throw new UnsupportedOperationException("Larder stores by value only: cache " + cacheName
          + " asks for store-by-reference (OptionalFeature.STORE_BY_REFERENCE is not supported)");
    }
    synchronized (this) {
      checkOpen();
      if (caches.containsKey(cacheName)) {
        throw new CacheException("cache " + cacheName + " already exists in " + uri);
      }
      Serializer serializer = new Serializer(getClassLoader(), config.getSerialFilter().orElse(null));
      Storage storage = storageOf(cacheName, config, serializer);
      LarderJCache<K, V> cache;
      try {
        cache = new LarderJCache<>(this, cacheName, config, storage, serializer, pool, clock);
      } catch (RuntimeException e) {
        storage.close();
        throw e;
      }
      caches.put(cacheName, cache);
      return cache;
    }
  }

  /** Opens where a cache's entries live: its own directory, if it asks for one or has one, or ours. */
  private Storage storageOf(String cacheName, LarderConfiguration<?, ?> config, Serializer serializer) {
    String namespace = Directories.namespaceOf(cacheName);
    Path own = Directories.ownDirectoryOf(directory, cacheName);
    if (config.hasOwnDirectory() || Files.isDirectory(own)) {
      Durability d = config.getDurability().orElse(durability());
      dev.larder.Cache<byte[], byte[]> handle = Storage.open(own, config.getMaxSize().isPresent()
          ? config.getMaxSize().getAsLong() : null, config.getMaxEntries().isPresent()
          ? config.getMaxEntries().getAsLong() : null, config.getEvictionPolicy().orElse(null), d, clock);
      return new Storage(own, namespace, d, clock, handle, true, serializer);
    }
    return new Storage(directory, namespace, durability(), clock, shared(), false, serializer);
  }

  /** The byte handle of this manager's directory, opened on first use. */
  private synchronized dev.larder.Cache<byte[], byte[]> shared() {
    if (shared == null) {
      shared = Storage.open(directory, longProperty(MAX_SIZE), longProperty(MAX_ENTRIES), eviction(), durability(),
          clock);
    }
    return shared;
  }

  private Long longProperty(String name) {
    String v = properties.getProperty(name);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cache manager property " + name + " must be a number, got '" + v + "'");
    }
  }

  private Durability durability() {
    String v = properties.getProperty(DURABILITY);
    return v == null ? Durability.PROCESS : parse(Durability.class, DURABILITY, v);
  }

  private EvictionPolicy eviction() {
    String v = properties.getProperty(EVICTION_POLICY);
    return v == null ? null : parse(EvictionPolicy.class, EVICTION_POLICY, v);
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cache manager property " + name + " must be one of "
          + List.of(type.getEnumConstants()) + ", got '" + value + "'");
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    LarderJCache<?, ?> cache;
    synchronized (this) {
      cache = caches.get(cacheName);
    }
    if (cache == null) {
      return null;
    }
    CompleteConfiguration<?, ?> config = cache.getConfiguration(CompleteConfiguration.class);
    if (!keyType.equals(config.getKeyType())) {
      throw new ClassCastException("cache " + cacheName + " has keys of " + config.getKeyType().getName()
          + ", not " + keyType.getName());
    }
    if (!valueType.equals(config.getValueType())) {
      throw new ClassCastException("cache " + cacheName + " has values of " + config.getValueType().getName()
          + ", not " + valueType.getName());
    }
    return (Cache<K, V>) cache;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    synchronized (this) {
      return (Cache<K, V>) caches.get(cacheName);
    }
  }

  @Override
  public synchronized Iterable<String> getCacheNames() {
    checkOpen();
    return Set.copyOf(caches.keySet());
  }

  @Override
  public void destroyCache(String cacheName) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    LarderJCache<?, ?> cache;
    synchronized (this) {
      cache = caches.get(cacheName);
    }
    if (cache != null) {
      cache.destroy();
      return;
    }
    // Not open here: remove its entries all the same, wherever they are.
    String namespace = Directories.namespaceOf(cacheName);
    Path own = Directories.ownDirectoryOf(directory, cacheName);
    if (Files.isDirectory(own)) {
      try (dev.larder.Cache<byte[], byte[]> handle = Storage.open(own, null, null, null, durability(), clock)) {
        EntryStore.call(() -> {
          handle.namespace(namespace).invalidate();
          return null;
        });
      }
    }
    if (Files.isDirectory(directory)) {
      EntryStore.call(() -> {
        shared().namespace(namespace).invalidate();
        return null;
      });
    }
  }

  /** Forgets a cache that closed itself. */
  synchronized void release(LarderJCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    LarderJCache<?, ?> cache;
    synchronized (this) {
      cache = caches.get(cacheName);
    }
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    LarderJCache<?, ?> cache;
    synchronized (this) {
      cache = caches.get(cacheName);
    }
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void close() {
    List<LarderJCache<?, ?>> open;
    dev.larder.Cache<byte[], byte[]> handle;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(caches.values());
      handle = shared;
      shared = null;
    }
    provider.release(this);
    for (LarderJCache<?, ?> cache : open) {
      cache.close();
    }
    synchronized (this) {
      caches.clear();
    }
    if (handle != null) {
      handle.close();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("cache manager " + uri + " is closed");
    }
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a Larder cache manager cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public String toString() {
    return "LarderCacheManager[" + uri + "]";
  }
}
