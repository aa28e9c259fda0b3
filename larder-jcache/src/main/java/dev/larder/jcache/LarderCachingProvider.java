package dev.larder.jcache;

import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The JSR-107 (JCache) caching provider of Larder: caches kept in a directory on local disk and
 * shared by every process that opens the directory. Found by {@code Caching.getCachingProvider()}
 * through {@code META-INF/services}; thread-safe.
 *
 * <h2>Cache managers</h2>
 *
 * A cache manager's URI names a directory: {@code file:/var/cache/myapp}, an absolute path, or a
 * relative name that resolves under the provider's home ({@value #HOME_PROPERTY}, default {@code
 * ~/.cache/larder/jcache}); the default URI is {@code <home>/default}. One manager exists per URI
 * and class loader, as the specification asks. Every cache of a manager is a Larder namespace in
 * its directory, unless its {@link LarderConfiguration} gives it a directory of its own.
 *
 * <p>The properties passed to {@link #getCacheManager(URI, ClassLoader, Properties)} may hold the
 * settings of the manager's directory, which are stored there and shared by every process (see
 * {@code Larder.Builder}): {@code larder.maxSize} (bytes), {@code larder.maxEntries}, {@code
 * larder.evictionPolicy} (an {@code EvictionPolicy} name) and {@code larder.durability} (a {@code
 * Durability} name, for this process).
 *
 * <h2>Across processes</h2>
 *
 * Several JVMs that create a cache of the same name in the same directory share its entries. What
 * the specification describes within one JVM stays within it: listeners fire in the JVM that made a
 * change, statistics count this JVM's operations, and a cache is known to a manager only after
 * {@code createCache} in that JVM. See {@code docs/guide/jcache.md}.
 *
 * <h2>Durability</h2>
 *
 * A write that returned is in Larder: it survives the death of the process, {@code kill -9}
 * included; it survives a power loss too with {@code larder.durability=SYNC} or {@link
 * LarderConfiguration#setDurability}, and otherwise may lose the last second of writes (see {@code
 * Durability}). Nothing is held only in memory, except asynchronous listener events not yet
 * delivered.
 *
 * <p>Store-by-reference is not supported ({@link #isSupported} says so): creating a cache with
 * {@code isStoreByValue() == false} throws {@link UnsupportedOperationException}.
 */
public final class LarderCachingProvider implements CachingProvider {
  /** The system property naming the provider's home directory. */
  public static final String HOME_PROPERTY = "larder.jcache.home";

  private static final ExecutorService POOL = pool();

  private final WeakHashMap<ClassLoader, Map<URI, LarderCacheManager>> managers = new WeakHashMap<>();
  private final InstantSource clock;

  /** Creates the provider; {@code Caching} does this through the service loader. */
  public LarderCachingProvider() {
    this(InstantSource.system());
  }

  /** A provider whose caches read time from {@code clock}: for tests. */
  LarderCachingProvider(InstantSource clock) {
    this.clock = clock;
  }

  /** Threads for asynchronous listeners and {@code loadAll}: daemons, gone after a minute idle. */
  private static ExecutorService pool() {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "larder-jcache-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Map<URI, LarderCacheManager> byUri = managers.computeIfAbsent(loader, k -> new HashMap<>());
    LarderCacheManager manager = byUri.get(managerUri);
    if (manager == null) {
      manager = new LarderCacheManager(this, managerUri, loader, properties == null ? new Properties() : properties, POOL,
          clock);
      byUri.put(managerUri, manager);
    }
    return manager;
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    return getClass().getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return Directories.defaultUri();
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public void close() {
    List<LarderCacheManager> all = new ArrayList<>();
    synchronized (this) {
      for (Map<URI, LarderCacheManager> byUri : managers.values()) {
        all.addAll(byUri.values());
      }
      managers.clear();
    }
    all.forEach(LarderCacheManager::close);
  }

  @Override
  public void close(ClassLoader classLoader) {
    Map<URI, LarderCacheManager> byUri;
    synchronized (this) {
      byUri = managers.remove(classLoader == null ? getDefaultClassLoader() : classLoader);
    }
    if (byUri != null) {
      new ArrayList<>(byUri.values()).forEach(LarderCacheManager::close);
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    LarderCacheManager manager = null;
    synchronized (this) {
      ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
      Map<URI, LarderCacheManager> byUri = managers.get(loader);
      if (byUri != null) {
        manager = byUri.remove(uri == null ? getDefaultURI() : uri);
        if (byUri.isEmpty()) {
          managers.remove(loader);
        }
      }
    }
    if (manager != null) {
      manager.close();
    }
  }

  /** Forgets a manager that closed itself. */
  synchronized void release(LarderCacheManager manager) {
    ClassLoader loader = manager.getClassLoader();
    Map<URI, LarderCacheManager> byUri = loader == null ? null : managers.get(loader);
    if (byUri != null && byUri.get(manager.getURI()) == manager) {
      byUri.remove(manager.getURI());
      if (byUri.isEmpty()) {
        managers.remove(loader);
      }
    }
  }

  @Override
  public boolean isSupported(OptionalFeature feature) {
    // STORE_BY_REFERENCE, the only optional feature, cannot be had on disk.
    return false;
  }

  @Override
  public String toString() {
    return "LarderCachingProvider[home " + Directories.home() + "]";
  }
}
