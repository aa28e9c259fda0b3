package dev.larder.jcache;

import dev.larder.jcache.EntryStore.Stored;
import dev.larder.jcache.EventDispatcher.Batch;
import java.util.Objects;
import javax.cache.event.EventType;

/**
 * The single-key operations of a {@link LarderJCache}, with their statistics: each holds its key's
 * lock in this JVM while it reads the entry, calls user code (expiry policy, writer, loader),
 * commits with a write conditional on the entry it read, and dispatches its events. If another
 * process changed the entry in between, the commit is refused and the operation reads again.
 * Thread-safe.
 *
 * <p>Statistics, events and the calls of expiry policy, writer and loader follow the reference
 * implementation where the specification leaves room, because that is what the TCK checks.
 */
@SuppressWarnings("try") // key locks are held by try-with-resources blocks that do not name them
final class KeyOperations<K, V> {
  /** The marker {@link #removeKey} returns for a removed entry whose value was not decoded. */
  private static final Object REMOVED = new Object();

  private final CacheContext<K, V> ctx;

  KeyOperations(CacheContext<K, V> ctx) {
    this.ctx = ctx;
  }

  // ---- reads --------------------------------------------------------------------------------------

  V get(K key) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    long start = ctx.statisticsEnabled() ? System.nanoTime() : 0;
    byte[] k = ctx.keyBytes(key);
    Batch<K, V> batch = ctx.events().batch();
    Got<V> got;
    try (KeyLocks.Held held = ctx.lock(k)) {
      got = getLocked(key, k, batch, ctx.readThrough());
      batch.dispatch();
    }
    if (ctx.statisticsEnabled()) {
      if (got.hit) {
        ctx.statistics().hits(1);
      } else {
        ctx.statistics().misses(1);
      }
      ctx.statistics().getTime(System.nanoTime() - start);
    }
    return got.value;
  }

  /** A value read and whether it was a hit. */
  record Got<V>(V value, boolean hit) {}

  /** The get logic, under the key's lock: access expiry, expiry of a stale entry, read-through. */
  Got<V> getLocked(K key, byte[] k, Batch<K, V> batch, boolean loadThrough) {
    for (int attempt = 0; ; attempt++) {
      ctx.attempt(attempt, key);
      long now = ctx.now();
      Stored old = ctx.store().read(k);
      if (old != null && !old.isExpiredAt(now)) {
        V value = ctx.decodeValue(old.value());
        touchOnAccess(k, old, now);
        return new Got<>(value, true);
      }
      if (old != null && !expire(key, k, old, batch)) {
        continue;
      }
      if (!loadThrough) {
        return new Got<>(null, false);
      }
      V loaded = ctx.load(key);
      if (loaded == null) {
        return new Got<>(null, false);
      }
      long expiresAt = ctx.expiry().onCreation(now);
      if (expiresAt <= now) {
        return new Got<>(null, false); // loaded but expired at once: not stored, and not returned either
      }
      if (!ctx.store().write(k, null, ctx.valueBytes(loaded), expiresAt)) {
        continue;
      }
      batch.created(key, loaded);
      return new Got<>(loaded, false);
    }
  }

  /** Applies the access expiry to an entry just read. */
  void touchOnAccess(byte[] k, Stored old, long now) {
    long expiresAt = ctx.expiry().onAccess(now, old.expiresAt());
    if (expiresAt != old.expiresAt()) {
      ctx.store().touch(k, old, expiresAt, now);
    }
  }

  /**
   * Removes an entry found expired and records its expiry event.
   *
   * @return false if the entry changed meanwhile (read again)
   */
  boolean expire(K key, byte[] k, Stored old, Batch<K, V> batch) {
    V value = ctx.valueFor(EventType.EXPIRED, old);
    if (!ctx.store().delete(k, old)) {
      return false;
    }
    batch.expired(key, value);
    return true;
  }


  boolean containsKey(K key) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    return ctx.store().isLive(ctx.keyBytes(key), ctx.now());
  }


  // ---- writes -------------------------------------------------------------------------------------

  void put(K key, V value) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    ctx.checkTypes(key, value);
    long start = ctx.statisticsEnabled() ? System.nanoTime() : 0;
    PutResult<V> put = put(key, value, PutMode.ALWAYS, false, true);
    if (ctx.statisticsEnabled() && put.stored) {
      ctx.statistics().puts(1);
      ctx.statistics().putTime(System.nanoTime() - start);
    }
  }

  V getAndPut(K key, V value) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    ctx.checkTypes(key, value);
    long start = ctx.statisticsEnabled() ? System.nanoTime() : 0;
    PutResult<V> put = put(key, value, PutMode.ALWAYS, true, true);
    if (ctx.statisticsEnabled()) {
      long elapsed = System.nanoTime() - start;
      if (put.existed) {
        ctx.statistics().hits(1);
      } else {
        ctx.statistics().misses(1);
      }
      ctx.statistics().getTime(elapsed);
      if (put.stored) {
        ctx.statistics().puts(1);
        ctx.statistics().putTime(elapsed);
      }
    }
    return put.oldValue;
  }


  boolean putIfAbsent(K key, V value) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    ctx.checkTypes(key, value);
    long start = ctx.statisticsEnabled() ? System.nanoTime() : 0;
    PutResult<V> put = put(key, value, PutMode.IF_ABSENT, false, true);
    if (ctx.statisticsEnabled()) {
      if (put.stored) {
        ctx.statistics().puts(1);
        ctx.statistics().misses(1);
        ctx.statistics().putTime(System.nanoTime() - start);
      } else {
        ctx.statistics().hits(1);
      }
    }
    return put.stored;
  }

  /** When a put stores its value. */
  enum PutMode {
    /** Whether or not there is an entry: {@code put}. */
    ALWAYS,
    /** Only where there is no live entry: {@code putIfAbsent}, {@code loadAll} without replacing. */
    IF_ABSENT
  }

  /** What a put did: whether it stored, whether there was a live entry, and that entry's value. */
  record PutResult<V>(boolean stored, boolean existed, V oldValue) {}

  /** A put of one key: locks it, applies {@link #putLocked}, dispatches the ctx.events(). */
  PutResult<V> put(K key, V value, PutMode mode, boolean returnOld, boolean writeThrough) {
    byte[] k = ctx.keyBytes(key);
    byte[] v = ctx.valueBytes(value);
    Batch<K, V> batch = ctx.events().batch();
    try (KeyLocks.Held held = ctx.lock(k)) {
      PutResult<V> put = putLocked(key, value, k, v, batch, mode, returnOld, writeThrough);
      batch.dispatch();
      return put;
    }
  }

  /**
   * The put logic, under the key's lock: a live entry is updated (expiry for update, UPDATED
   * event), a missing or expired one created (expiry for creation, CREATED event; a value that
   * expires at once is not stored).
   */
  PutResult<V> putLocked(K key, V value, byte[] k, byte[] v, Batch<K, V> batch, PutMode mode, boolean returnOld,
      boolean writeThrough) {
    for (int attempt = 0; ; attempt++) {
      ctx.attempt(attempt, key);
      long now = ctx.now();
      Stored old = ctx.store().readForWrite(k);
      if (old != null && !old.isExpiredAt(now)) {
        if (mode == PutMode.IF_ABSENT) {
          return new PutResult<>(false, true, null);
        }
        V oldValue = returnOld || ctx.events().wants(EventType.UPDATED) ? ctx.decodeValue(old.value()) : null;
        if (writeThrough) {
          ctx.writeThrough(key, value);
        }
        long expiresAt = ctx.expiry().onUpdate(now, old.expiresAt());
        if (!ctx.store().write(k, old, v, expiresAt)) {
          continue;
        }
        batch.updated(key, value, oldValue);
        return new PutResult<>(true, true, oldValue);
      }
      long expiresAt = ctx.expiry().onCreation(now);
      if (writeThrough) {
        ctx.writeThrough(key, value);
      }
      V expiredValue = old == null ? null : ctx.valueFor(EventType.EXPIRED, old);
      if (expiresAt <= now) {
        // Created already expired: nothing is stored, and an expired leftover goes.
        if (old != null && !ctx.store().delete(k, old)) {
          continue;
        }
      } else if (!ctx.store().write(k, old, v, expiresAt)) {
        continue;
      }
      if (old != null) {
        batch.expired(key, expiredValue);
      }
      if (expiresAt <= now) {
        return new PutResult<>(false, false, null);
      }
      batch.created(key, value);
      return new PutResult<>(true, false, null);
    }
  }

  boolean remove(K key) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    long start = ctx.statisticsEnabled() ? System.nanoTime() : 0;
    boolean removed = removeKey(key, true) != null;
    if (ctx.statisticsEnabled() && removed) {
      ctx.statistics().removals(1);
      ctx.statistics().removeTime(System.nanoTime() - start);
    }
    return removed;
  }

  /**
   * Removes a key (after deleting it through the writer, if asked): returns the removed value
   * ({@link #REMOVED} if not asked for it) or {@code null} if there was no live entry.
   */
  Object removeKey(K key, boolean deleteThrough) {
    byte[] k = ctx.keyBytes(key);
    Batch<K, V> batch = ctx.events().batch();
    try (KeyLocks.Held held = ctx.lock(k)) {
      if (deleteThrough) {
        ctx.deleteThrough(key);
      }
      Object result = removeLocked(key, k, batch, false);
      batch.dispatch();
      return result;
    }
  }

  /** The remove logic, under the key's lock. See {@link #removeKey}. */
  Object removeLocked(K key, byte[] k, Batch<K, V> batch, boolean returnValue) {
    for (int attempt = 0; ; attempt++) {
      ctx.attempt(attempt, key);
      long now = ctx.now();
      Stored old = ctx.store().readForWrite(k);
      if (old == null) {
        return null;
      }
      if (old.isExpiredAt(now)) {
        if (!expire(key, k, old, batch)) {
          continue;
        }
        return null;
      }
      V value = returnValue || ctx.events().wants(EventType.REMOVED) ? ctx.decodeValue(old.value()) : null;
      if (!ctx.store().delete(k, old)) {
        continue;
      }
      batch.removed(key, value);
      return returnValue ? value : REMOVED;
    }
  }

  boolean remove(K key, V oldValue) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(oldValue, "oldValue");
    long start = ctx.statisticsEnabled() ? System.nanoTime() : 0;
    byte[] k = ctx.keyBytes(key);
    Batch<K, V> batch = ctx.events().batch();
    boolean hit = false;
    boolean removed = false;
    try (KeyLocks.Held held = ctx.lock(k)) {
      for (int attempt = 0; ; attempt++) {
        ctx.attempt(attempt, key);
        long now = ctx.now();
        Stored old = ctx.store().readForWrite(k);
        if (old == null || old.isExpiredAt(now)) {
          if (old != null && !expire(key, k, old, batch)) {
            continue;
          }
          break;
        }
        hit = true;
        V current = ctx.decodeValue(old.value());
        if (!Objects.deepEquals(current, oldValue)) {
          touchOnAccess(k, old, now);
          break;
        }
        ctx.deleteThrough(key);
        if (!ctx.store().delete(k, old)) {
          continue;
        }
        batch.removed(key, current);
        removed = true;
        break;
      }
      batch.dispatch();
    }
    if (ctx.statisticsEnabled()) {
      long elapsed = System.nanoTime() - start;
      if (removed) {
        ctx.statistics().removals(1);
        ctx.statistics().removeTime(elapsed);
      }
      if (hit) {
        ctx.statistics().hits(1);
      } else {
        ctx.statistics().misses(1);
      }
      ctx.statistics().getTime(elapsed);
    }
    return removed;
  }

  @SuppressWarnings("unchecked")
  V getAndRemove(K key) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    long start = ctx.statisticsEnabled() ? System.nanoTime() : 0;
    byte[] k = ctx.keyBytes(key);
    Batch<K, V> batch = ctx.events().batch();
    V removed;
    try (KeyLocks.Held held = ctx.lock(k)) {
      ctx.deleteThrough(key);
      removed = (V) removeLocked(key, k, batch, true);
      batch.dispatch();
    }
    if (ctx.statisticsEnabled()) {
      long elapsed = System.nanoTime() - start;
      ctx.statistics().getTime(elapsed);
      if (removed != null) {
        ctx.statistics().hits(1);
        ctx.statistics().removals(1);
        ctx.statistics().removeTime(elapsed);
      } else {
        ctx.statistics().misses(1);
      }
    }
    return removed;
  }

  boolean replace(K key, V oldValue, V newValue) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(oldValue, "oldValue");
    Objects.requireNonNull(newValue, "newValue");
    ctx.checkTypes(key, newValue);
    long start = ctx.statisticsEnabled() ? System.nanoTime() : 0;
    Replaced<V> r = replaceKey(key, oldValue, newValue);
    recordReplace(r, start);
    return r.replaced;
  }

  boolean replace(K key, V value) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    ctx.checkTypes(key, value);
    long start = ctx.statisticsEnabled() ? System.nanoTime() : 0;
    Replaced<V> r = replaceKey(key, null, value);
    recordReplace(r, start);
    return r.replaced;
  }

  V getAndReplace(K key, V value) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    ctx.checkTypes(key, value);
    long start = ctx.statisticsEnabled() ? System.nanoTime() : 0;
    Replaced<V> r = replaceKey(key, null, value);
    recordReplace(r, start);
    return r.replaced ? r.oldValue : null;
  }

  /** What a replace did: whether there was a live entry, whether it was replaced, its old value. */
  private record Replaced<V>(boolean hit, boolean replaced, V oldValue) {}

  private void recordReplace(Replaced<V> r, long start) {
    if (!ctx.statisticsEnabled()) {
      return;
    }
    long elapsed = System.nanoTime() - start;
    if (r.replaced) {
      ctx.statistics().puts(1);
      ctx.statistics().putTime(elapsed);
    }
    if (r.hit) {
      ctx.statistics().hits(1);
    } else {
      ctx.statistics().misses(1);
    }
    ctx.statistics().getTime(elapsed);
  }

  /** Replaces a live entry, only if its value equals {@code expected} when that is given. */
  private Replaced<V> replaceKey(K key, V expected, V value) {
    byte[] k = ctx.keyBytes(key);
    byte[] v = ctx.valueBytes(value);
    Batch<K, V> batch = ctx.events().batch();
    Replaced<V> result;
    try (KeyLocks.Held held = ctx.lock(k)) {
      for (int attempt = 0; ; attempt++) {
        ctx.attempt(attempt, key);
        long now = ctx.now();
        Stored old = ctx.store().readForWrite(k);
        if (old == null || old.isExpiredAt(now)) {
          if (old != null && !expire(key, k, old, batch)) {
            continue;
          }
          result = new Replaced<>(false, false, null);
          break;
        }
        V current = ctx.decodeValue(old.value());
        if (expected != null && !Objects.deepEquals(current, expected)) {
          touchOnAccess(k, old, now);
          result = new Replaced<>(true, false, current);
          break;
        }
        ctx.writeThrough(key, value);
        long expiresAt = ctx.expiry().onUpdate(now, old.expiresAt());
        if (!ctx.store().write(k, old, v, expiresAt)) {
          continue;
        }
        batch.updated(key, value, current);
        result = new Replaced<>(true, true, current);
        break;
      }
      batch.dispatch();
    }
    return result;
  }
}
