package dev.larder.jcache;

import dev.larder.jcache.EntryStore.Stored;
import dev.larder.jcache.EventDispatcher.Batch;
import dev.larder.jcache.KeyOperations.Got;
import dev.larder.jcache.KeyOperations.PutMode;
import dev.larder.jcache.KeyOperations.PutResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;

/**
 * The operations of a {@link LarderJCache} on many keys: {@code getAll}, {@code putAll}, {@code
 * removeAll}, {@code loadAll} and the iterator. Each applies the cache's single-key logic key by key,
 * with that key's lock; none is atomic as a whole, which the specification allows. The writer and
 * loader get the whole batch at once ({@code writeAll}, {@code deleteAll}, {@code loadAll}).
 * Thread-safe.
 */
@SuppressWarnings("try") // key locks are held by try-with-resources blocks that do not name them
final class BulkOperations<K, V> {
  private final CacheContext<K, V> ctx;
  private final KeyOperations<K, V> ops;

  BulkOperations(CacheContext<K, V> ctx, KeyOperations<K, V> ops) {
    this.ctx = ctx;
    this.ops = ops;
  }

  private static <T> void requireNoNulls(Collection<T> items, String what) {
    Objects.requireNonNull(items, what);
    for (T item : items) {
      Objects.requireNonNull(item, "one of the " + what);
    }
  }

  Map<K, V> getAll(Set<? extends K> keys) {
    ctx.checkOpen();
    requireNoNulls(keys, "keys");
    boolean stats = ctx.statisticsEnabled();
    long start = stats ? System.nanoTime() : 0;
    Map<K, V> result = new HashMap<>();
    List<K> missing = new ArrayList<>();
    for (K key : keys) {
      byte[] k = ctx.keyBytes(key);
      Batch<K, V> batch = ctx.events().batch();
      Got<V> got;
      try (KeyLocks.Held held = ctx.lock(k)) {
        got = ops.getLocked(key, k, batch, false);
        batch.dispatch();
      }
      if (got.hit()) {
        result.put(key, got.value());
      } else {
        missing.add(key);
      }
    }
    if (stats) {
      ctx.statistics().hits(result.size());
      ctx.statistics().misses(missing.size());
    }
    if (!missing.isEmpty() && ctx.readThrough()) {
      Map<K, V> loaded = loadAll(missing);
      for (K key : missing) {
        V value = loaded.get(key);
        if (value != null && ops.put(key, value, PutMode.IF_ABSENT, false, false).stored()) {
          result.put(key, value);
        }
      }
    }
    if (stats) {
      ctx.statistics().getTime(System.nanoTime() - start);
    }
    return result;
  }

  /** Loads through the cache loader's {@code loadAll}, wrapping its failures. */
  private Map<K, V> loadAll(List<K> keys) {
    try {
      Map<K, V> loaded = ctx.loader().loadAll(keys);
      return loaded == null ? Map.of() : new HashMap<>(loaded);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("the cache loader of " + ctx.name() + " failed: " + e, e);
    }
  }

  void loadAll(Set<? extends K> keys, boolean replaceExisting, CompletionListener listener) {
    ctx.checkOpen();
    requireNoNulls(keys, "keys");
    if (ctx.loader() == null) {
      if (listener != null) {
        listener.onCompletion();
      }
      return;
    }
    List<K> requested = new ArrayList<>(keys);
    ctx.pool().execute(() -> {
      try {
        List<K> toLoad = new ArrayList<>();
        for (K key : requested) {
          if (replaceExisting || !ops.containsKey(key)) {
            toLoad.add(key);
          }
        }
        Map<K, V> loaded = toLoad.isEmpty() ? Map.of() : loadAll(toLoad);
        for (K key : toLoad) {
          V value = loaded.get(key);
          if (value != null) {
            ops.put(key, value, replaceExisting ? PutMode.ALWAYS : PutMode.IF_ABSENT, false, false);
          }
        }
        if (listener != null) {
          listener.onCompletion();
        }
      } catch (Exception e) {
        if (listener != null) {
          listener.onException(e);
        }
      }
    });
  }

  void putAll(Map<? extends K, ? extends V> map) {
    ctx.checkOpen();
    Objects.requireNonNull(map, "map");
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      Objects.requireNonNull(e.getKey(), "a key of the map");
      Objects.requireNonNull(e.getValue(), "the value of key " + e.getKey());
      ctx.checkTypes(e.getKey(), e.getValue());
    }
    boolean stats = ctx.statisticsEnabled();
    long start = stats ? System.nanoTime() : 0;
    List<K> keys = new ArrayList<>(map.size());
    List<byte[]> keyBytes = new ArrayList<>(map.size());
    List<byte[]> valueBytes = new ArrayList<>(map.size());
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      keys.add(e.getKey());
      keyBytes.add(ctx.keyBytes(e.getKey()));
      valueBytes.add(ctx.valueBytes(e.getValue()));
    }
    RuntimeException failure = null;
    Set<K> notWritten = Set.of();
    if (ctx.writeThrough()) {
      List<Cache.Entry<? extends K, ? extends V>> entries = new ArrayList<>(map.size());
      for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
        entries.add(new CacheEntry<>(e.getKey(), e.getValue()));
      }
      try {
        ctx.writer().writeAll(entries);
      } catch (CacheWriterException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new CacheWriterException("the cache writer of " + ctx.name() + " failed: " + e, e);
      }
      // The writer leaves in the collection what it did not write; only the rest goes in the ctx.
      notWritten = new HashSet<>();
      for (Cache.Entry<? extends K, ? extends V> e : entries) {
        notWritten.add(e.getKey());
      }
    }
    long puts = 0;
    for (int i = 0; i < keys.size(); i++) {
      K key = keys.get(i);
      if (notWritten.contains(key)) {
        continue;
      }
      Batch<K, V> batch = ctx.events().batch();
      try (KeyLocks.Held held = ctx.lock(keyBytes.get(i))) {
        PutResult<V> put = ops.putLocked(key, map.get(key), keyBytes.get(i), valueBytes.get(i), batch,
            PutMode.ALWAYS, false, false);
        puts += put.stored() ? 1 : 0;
        batch.dispatch();
      }
    }
    if (stats && puts > 0) {
      ctx.statistics().puts(puts);
      ctx.statistics().putTime(System.nanoTime() - start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  void removeAll(Set<? extends K> keys) {
    ctx.checkOpen();
    requireNoNulls(keys, "keys");
    removeKeys(new ArrayList<>(keys));
  }

  void removeAll() {
    ctx.checkOpen();
    List<K> keys = new ArrayList<>();
    long now = ctx.now();
    ctx.store().keys().forEach(k -> {
      Stored s = ctx.store().readForWrite(k);
      if (s != null && !s.isExpiredAt(now)) {
        keys.add(ctx.decodeKey(k));
      }
    });
    removeKeys(keys);
  }

  private void removeKeys(List<K> keys) {
    boolean stats = ctx.statisticsEnabled();
    long start = stats ? System.nanoTime() : 0;
    RuntimeException failure = null;
    Set<K> notDeleted = Set.of();
    if (ctx.writeThrough() && !keys.isEmpty()) {
      List<K> toDelete = new ArrayList<>(keys);
      try {
        ctx.writer().deleteAll(toDelete);
      } catch (CacheWriterException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new CacheWriterException("the cache writer of " + ctx.name() + " failed: " + e, e);
      }
      // The writer leaves in the collection what it did not delete; those stay in the ctx.
      notDeleted = new HashSet<>(toDelete);
    }
    long removals = 0;
    for (K key : keys) {
      if (!notDeleted.contains(key) && ops.removeKey(key, false) != null) {
        removals++;
      }
    }
    if (stats && removals > 0) {
      ctx.statistics().removals(removals);
      ctx.statistics().removeTime(System.nanoTime() - start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * The entries, weakly consistent: each key is read when the iterator reaches it, and changes
   * made meanwhile, here or in other processes, may or may not be seen. Each entry counts as a hit
   * and has its access expiry applied.
   */
  Iterator<Cache.Entry<K, V>> iterator() {
    ctx.checkOpen();
    return new EntryIterator(ctx.store().keys().iterator());
  }

  private final class EntryIterator implements Iterator<Cache.Entry<K, V>> {
    private final Iterator<byte[]> keys;
    private CacheEntry<K, V> next;
    private CacheEntry<K, V> last;

    EntryIterator(Iterator<byte[]> keys) {
      this.keys = keys;
    }

    @Override
    public boolean hasNext() {
      while (next == null && keys.hasNext()) {
        byte[] k = keys.next();
        boolean stats = ctx.statisticsEnabled();
        long start = stats ? System.nanoTime() : 0;
        try (KeyLocks.Held held = ctx.lock(k)) {
          long now = ctx.now();
          Stored s = ctx.store().read(k);
          if (s == null || s.isExpiredAt(now)) {
            continue;
          }
          next = new CacheEntry<>(ctx.decodeKey(k), ctx.decodeValue(s.value()));
          ops.touchOnAccess(k, s, now);
        }
        if (stats) {
          ctx.statistics().hits(1);
          ctx.statistics().getTime(System.nanoTime() - start);
        }
      }
      return next != null;
    }

    @Override
    public Cache.Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      last = next;
      next = null;
      return last;
    }

    @Override
    public void remove() {
      if (last == null) {
        throw new IllegalStateException("next() first: there is no entry to remove");
      }
      ctx.checkOpen();
      K key = last.getKey();
      last = null;
      boolean stats = ctx.statisticsEnabled();
      long start = stats ? System.nanoTime() : 0;
      boolean removed = ops.removeKey(key, true) != null;
      if (stats && removed) {
        ctx.statistics().removals(1);
        ctx.statistics().removeTime(System.nanoTime() - start);
      }
    }
  }
}
