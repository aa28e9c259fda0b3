package dev.larder.spring;

import dev.larder.Entry;
import dev.larder.LarderException;
import dev.larder.Load;
import dev.larder.Namespace;
import dev.larder.Put;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * A Spring {@link org.springframework.cache.Cache} whose entries are a Larder {@link Namespace} on
 * disk: {@code @Cacheable} results survive restarts and are shared by every process that uses the
 * directory. Thread-safe and process-safe; every operation is one Larder transaction, and a put
 * that returned survives the death of the process.
 *
 * <ul>
 *   <li>Keys are stored as strings (see {@link LarderCacheManager}); values by Java serialization,
 *       limited by a serialization filter.
 *   <li>{@link #clear()} ({@code @CacheEvict(allEntries = true)}) invalidates the namespace: one
 *       small write, whatever the number of entries, seen at once by every process.
 *   <li>{@link #evict} of a {@link Tag} removes every entry carrying the tag, in every cache of the
 *       directory.
 *   <li>{@link #get(Object, Callable)} ({@code @Cacheable(sync = true)}) runs the loader once per
 *       key across all threads and all processes; the others wait for its value.
 *   <li>Entries expire after the cache's time to live, if it has one, and carry the tags of its
 *       {@link TagResolver}.
 * </ul>
 *
 * <p>Larder-specific operations are on {@link #getNativeCache()}, the namespace itself.
 */
public class LarderSpringCache extends AbstractValueAdaptingCache {
  private final String name;
  private final Namespace<String, Object> entries;
  private final Duration ttl;
  private final TagResolver tags;

  /**
   * A cache over {@code entries}.
   *
   * @param ttl the time to live of every entry, or {@code null} for none
   * @param tags the tags of each entry
   * @param allowNullValues whether {@code null} results are cached
   */
  public LarderSpringCache(String name, Namespace<String, Object> entries, Duration ttl, TagResolver tags,
      boolean allowNullValues) {
    super(allowNullValues);
    this.name = Objects.requireNonNull(name, "name");
    this.entries = Objects.requireNonNull(entries, "entries");
    if (ttl != null) {
      Put.ttl(ttl); // validates
    }
    this.ttl = ttl;
    this.tags = Objects.requireNonNull(tags, "tags");
  }

  @Override
  public String getName() {
    return name;
  }

  /** The Larder namespace holding this cache's entries, for tags, statistics and checks. */
  @Override
  public Namespace<String, Object> getNativeCache() {
    return entries;
  }

  /** The time to live of the entries, or {@code null} if they do not expire. */
  public Duration getTtl() {
    return ttl;
  }

  private Put options(Object key, Object storeValue) {
    Put put = ttl == null ? Put.DEFAULT : Put.ttl(ttl);
    Set<String> t = tags.tags(key, fromStoreValue(storeValue));
    return t == null || t.isEmpty() ? put : put.withTags(t);
  }

  @Override
  protected Object lookup(Object key) {
    return entries.get(CacheKeys.toKey(key));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Callable<T> valueLoader) {
    String k = CacheKeys.toKey(key);
    boolean[] loadedHere = new boolean[1];
    Object stored;
    try {
      stored = entries.get(k, Load.DEFAULT.withPut(ttl == null ? Put.DEFAULT : Put.ttl(ttl)), kk -> {
        loadedHere[0] = true;
        try {
          return toStoreValue(valueLoader.call());
        } catch (Exception e) {
          throw new LoaderFailure(e);
        }
      });
    } catch (LoaderFailure e) {
      throw new ValueRetrievalException(key, valueLoader, e.getCause());
    }
    if (loadedHere[0]) {
      retag(key, k, stored);
    }
    return (T) fromStoreValue(stored);
  }

  /**
   * Gives a value this process just loaded the tags of its resolver. The load stored it without
   * them (Larder stores a loaded value before the caller sees it, and tags may depend on the
   * value); until this rewrite, an eviction of those tags misses it.
   */
  private void retag(Object key, String k, Object stored) {
    Set<String> t = tags.tags(key, fromStoreValue(stored));
    if (t == null || t.isEmpty()) {
      return;
    }
    Entry<String, Object> e = entries.getEntry(k);
    if (e != null) {
      Put put = e.expiresAt() == null ? Put.DEFAULT : Put.expireAt(e.expiresAt());
      entries.cas(k, e.version(), e.value(), put.withTags(t)); // lost to a newer write: that one stands
    }
  }

  @Override
  public CompletableFuture<?> retrieve(Object key) {
    Object stored = lookup(key);
    return stored == null ? null
        : CompletableFuture.completedFuture(isAllowNullValues() ? toValueWrapper(stored) : fromStoreValue(stored));
  }

  @Override
  public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
    return CompletableFuture.supplyAsync(() -> get(key, () -> {
      try {
        return valueLoader.get().join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
      }
    }));
  }

  @Override
  public void put(Object key, Object value) {
    Object stored = toStoreValue(value);
    entries.put(CacheKeys.toKey(key), stored, options(key, stored));
  }

  @Override
  public ValueWrapper putIfAbsent(Object key, Object value) {
    String k = CacheKeys.toKey(key);
    Object stored = toStoreValue(value);
    Put put = options(key, stored);
    while (true) {
      if (entries.add(k, stored, put)) {
        return null;
      }
      Object existing = entries.get(k);
      if (existing != null) {
        return toValueWrapper(existing);
      }
      // it expired or was removed in between: try again
    }
  }

  /** Removes the entry for {@code key}; a {@link Tag} removes every entry carrying it. */
  @Override
  public void evict(Object key) {
    evictIfPresent(key);
  }

  @Override
  public boolean evictIfPresent(Object key) {
    if (key instanceof Tag) {
      return entries.evictTag(((Tag) key).name()) > 0;
    }
    return entries.delete(CacheKeys.toKey(key));
  }

  /** Removes every entry of this cache, for every process, in one small write. */
  @Override
  public void clear() {
    entries.invalidate();
  }

  /** Like {@link #clear()}; returns {@code false}, as the number of entries is not known. */
  @Override
  public boolean invalidate() {
    entries.invalidate();
    return false;
  }

  /**
   * Removes every entry carrying {@code tag}, in every cache of the directory.
   *
   * @return the number of entries removed
   */
  public long evictTag(String tag) {
    return entries.evictTag(tag);
  }

  /**
   * Stores {@code value} with the cache's time to live and these tags instead of the resolver's.
   * For code that knows an entry's tags better than a resolver can.
   */
  public void put(Object key, Object value, Set<String> entryTags) {
    Put put = ttl == null ? Put.DEFAULT : Put.ttl(ttl);
    entries.put(CacheKeys.toKey(key), toStoreValue(value), put.withTags(entryTags));
  }

  @Override
  public String toString() {
    return "LarderSpringCache[" + name + " in " + entries.directory() + "]";
  }

  /** Carries a loader's checked exception through Larder's loading. */
  private static final class LoaderFailure extends LarderException {
    private static final long serialVersionUID = 1L;

    LoaderFailure(Exception cause) {
      super("the value loader failed: " + cause, cause);
    }
  }
}
