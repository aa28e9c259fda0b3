package dev.larder.jcache;

import dev.larder.Namespace;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CompletionListener;
import javax.cache.management.CacheStatisticsMXBean;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import javax.management.ObjectName;

/**
 * A JCache cache whose entries are a Larder namespace on disk. Thread-safe and process-safe:
 * every process that creates a cache of this name in the same directory shares its entries, and a
 * write that returned survives the death of the process (see {@code Durability}).
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Structure.</b> This class is the face of the cache: its configuration, listeners, MBeans
 * and life cycle. The operations are in {@link KeyOperations} (one key), {@link BulkOperations}
 * (many keys, the iterator) and {@link Invocations} (entry processors), over the state they share
 * in {@link CacheContext}.
 *
 * <p><b>One operation.</b> Each single-key operation holds the key's lock in this JVM ({@link
 * KeyLocks}) while it reads the entry, calls user code (expiry policy, writer, loader, entry
 * processor), commits with a write that is conditional on the entry it read ({@link EntryStore}),
 * and dispatches its events. If another process changed the entry in between, the commit is
 * refused and the operation starts again from the read; user code may then run twice, which only
 * concurrent writers in several processes can cause. Writes go to Larder only, never into memory.
 *
 * <p><b>Expiry.</b> An access that changes the expiry time (an accessed expiry policy) writes that
 * time to Larder: a read becomes a small write transaction. Expired entries stay visible to the
 * provider for a grace period so that it can fire expiry events (see {@link EntryStore}).
 */
final class LarderJCache<K, V> implements Cache<K, V> {
  private final LarderCacheManager manager;
  private final String name;
  private final LarderConfiguration<K, V> configuration;
  private final Storage storage;
  private final CacheContext<K, V> ctx;
  private final KeyOperations<K, V> keys;
  private final BulkOperations<K, V> bulk;
  private final Invocations<K, V> invocations;
  private final CacheConfigurationBean configurationBean;
  private boolean registeredConfigurationBean;
  private boolean registeredStatisticsBean;

  LarderJCache(LarderCacheManager manager, String name, LarderConfiguration<K, V> configuration, Storage storage,
      Serializer serializer, Executor pool, InstantSource clock) {
    this.manager = manager;
    this.name = name;
    this.configuration = configuration;
    this.storage = storage;
    this.ctx = new CacheContext<>(this, name, configuration, storage, serializer, pool, clock);
    this.keys = new KeyOperations<>(ctx);
    this.bulk = new BulkOperations<>(ctx, keys);
    this.invocations = new Invocations<>(ctx, keys);
    this.configurationBean = new CacheConfigurationBean(this::currentConfiguration);
    setStatisticsEnabled(configuration.isStatisticsEnabled());
    setManagementEnabled(configuration.isManagementEnabled());
  }

  // ---- operations ---------------------------------------------------------------------------------

  @Override
  public V get(K key) {
    return keys.get(key);
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keySet) {
    return bulk.getAll(keySet);
  }

  @Override
  public boolean containsKey(K key) {
    return keys.containsKey(key);
  }

  @Override
  public void loadAll(Set<? extends K> keySet, boolean replaceExistingValues, CompletionListener listener) {
    bulk.loadAll(keySet, replaceExistingValues, listener);
  }

  @Override
  public void put(K key, V value) {
    keys.put(key, value);
  }

  @Override
  public V getAndPut(K key, V value) {
    return keys.getAndPut(key, value);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    bulk.putAll(map);
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    return keys.putIfAbsent(key, value);
  }

  @Override
  public boolean remove(K key) {
    return keys.remove(key);
  }

  @Override
  public boolean remove(K key, V oldValue) {
    return keys.remove(key, oldValue);
  }

  @Override
  public V getAndRemove(K key) {
    return keys.getAndRemove(key);
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return keys.replace(key, oldValue, newValue);
  }

  @Override
  public boolean replace(K key, V value) {
    return keys.replace(key, value);
  }

  @Override
  public V getAndReplace(K key, V value) {
    return keys.getAndReplace(key, value);
  }

  @Override
  public void removeAll(Set<? extends K> keySet) {
    bulk.removeAll(keySet);
  }

  @Override
  public void removeAll() {
    bulk.removeAll();
  }

  /**
   * Removes every entry at once, for every process, without calling the writer or the listeners:
   * one small write, whatever the number of entries.
   */
  @Override
  public void clear() {
    ctx.checkOpen();
    ctx.store().clear();
  }

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    return invocations.invoke(key, processor, arguments);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keySet, EntryProcessor<K, V, T> processor,
      Object... arguments) {
    return invocations.invokeAll(keySet, processor, arguments);
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    return bulk.iterator();
  }

  // ---- configuration, listeners, management -----------------------------------------------------

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  /** An immutable copy of the configuration as it is now. */
  private LarderConfiguration<K, V> currentConfiguration() {
    synchronized (configuration) {
      return configuration.frozenCopy();
    }
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    LarderConfiguration<K, V> copy = currentConfiguration();
    if (clazz.isInstance(copy)) {
      return clazz.cast(copy);
    }
    throw new IllegalArgumentException("the configuration of a Larder cache is a " + LarderConfiguration.class.getName()
        + ", not a " + clazz.getName());
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    ctx.checkOpen();
    Objects.requireNonNull(listener, "listener");
    synchronized (configuration) {
      configuration.addCacheEntryListenerConfiguration(listener); // refuses a duplicate
      ctx.events().register(listener);
    }
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (configuration) {
      if (ctx.events().deregister(listener)) {
        configuration.removeCacheEntryListenerConfiguration(listener);
      }
    }
  }

  private ObjectName beanName(Management.Kind kind) {
    return Management.name(manager.getURI().toString(), name, kind);
  }

  /** Turns statistics on or off; registers or unregisters the statistics MBean. */
  synchronized void setStatisticsEnabled(boolean enabled) {
    if (enabled && !registeredStatisticsBean) {
      registeredStatisticsBean = Management.register(beanName(Management.Kind.STATISTICS), ctx.statistics());
    } else if (!enabled && registeredStatisticsBean) {
      Management.unregister(beanName(Management.Kind.STATISTICS));
      registeredStatisticsBean = false;
    }
    synchronized (configuration) {
      configuration.statisticsEnabled(enabled);
    }
    ctx.statisticsEnabled(enabled);
  }

  /** Turns management on or off: registers or unregisters the configuration MBean. */
  synchronized void setManagementEnabled(boolean enabled) {
    if (enabled && !registeredConfigurationBean) {
      registeredConfigurationBean = Management.register(beanName(Management.Kind.CONFIGURATION), configurationBean);
    } else if (!enabled && registeredConfigurationBean) {
      Management.unregister(beanName(Management.Kind.CONFIGURATION));
      registeredConfigurationBean = false;
    }
    synchronized (configuration) {
      configuration.managementEnabled(enabled);
    }
  }

  /** The statistics of this cache in this JVM. */
  CacheStatisticsMXBean statisticsBean() {
    return ctx.statistics();
  }

  /**
   * Returns this cache as {@code clazz}, or its entries as a Larder {@link Namespace} (and so
   * {@link dev.larder.Cache}) of its own key and value types: {@code
   * cache.unwrap(dev.larder.Cache.class)}. Writes through the Larder view bypass the listeners,
   * writer, statistics and expiry policy; an entry written there with a time to live expires for
   * JCache {@link EntryStore#GRACE_MILLIS} earlier.
   */
  @Override
  public <T> T unwrap(Class<T> clazz) {
    Objects.requireNonNull(clazz, "clazz");
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    if (clazz.isAssignableFrom(Namespace.class)) {
      ctx.checkOpen();
      return clazz.cast(storage.objects());
    }
    throw new IllegalArgumentException("a Larder JCache cache cannot be unwrapped to " + clazz.getName());
  }

  /** Removes every entry, for every process, and closes the cache. */
  void destroy() {
    if (!ctx.isClosed()) {
      ctx.store().clear();
    }
    close();
  }

  @Override
  public void close() {
    if (!ctx.close()) {
      return;
    }
    manager.release(this);
    setStatisticsEnabled(false);
    setManagementEnabled(false);
    storage.close();
  }

  @Override
  public boolean isClosed() {
    return ctx.isClosed();
  }

  @Override
  public String toString() {
    return "LarderJCache[" + name + " in " + storage.directory() + "]";
  }
}
