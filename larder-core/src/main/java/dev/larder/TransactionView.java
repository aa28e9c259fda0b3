package dev.larder;

import dev.larder.internal.Bytes;
import dev.larder.internal.Keys;
import dev.larder.internal.Record;
import dev.larder.internal.State;
import dev.larder.internal.Store.Lookup;
import dev.larder.internal.WriteContext;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@link Transaction} handed to {@link Cache#transact}: every call acts in its write
 * transaction. Values are stored inline whatever their size: a value file would be written under
 * the write lock.
 */
final class TransactionView<K, V> implements Transaction<K, V> {
  private final LarderCache<K, V> cache;
  private final WriteContext w;
  boolean done;

  TransactionView(LarderCache<K, V> cache, WriteContext w) {
    this.cache = cache;
    this.w = w;
  }

  private void check() {
    if (done) {
      throw new IllegalStateException("the transaction has ended");
    }
  }

  private Lookup find(byte[] inner) {
    byte[] full = cache.at(w, inner);
    Record r = w.find(Keys.stored(full), full);
    if (r == null || r.isExpired(w.now())) {
      return null;
    }
    if (!r.isBlob()) {
      return new Lookup(r, null);
    }
    try {
      return new Lookup(r, cache.store.blobs().open(r.blobId()));
    } catch (IOException e) {
      throw new CorruptionException(cache.store.blobs().path(r.blobId()), "cannot open the value file of key "
          + Bytes.describe(full) + ": " + e, e);
    }
  }

  @Override
  public V get(K key) {
    check();
    byte[] full = cache.full(key);
    Lookup l = find(full);
    return l == null ? null : cache.decode(l, full);
  }

  @Override
  public Entry<K, V> getEntry(K key) {
    check();
    byte[] full = cache.full(key);
    Lookup l = find(full);
    return l == null ? null : cache.entry(key, l, full);
  }

  @Override
  public boolean containsKey(K key) {
    check();
    byte[] full = cache.at(w, cache.full(key));
    Record r = w.find(Keys.stored(full), full);
    return r != null && !r.isExpired(w.now());
  }

  private Object write(K key, V value, Put options, LarderCache.Mode mode, long version) {
    check();
    Objects.requireNonNull(options, "options");
    try {
      return cache.apply(w, cache.full(key), cache.encode(value), null, options, mode, version);
    } catch (IOException e) {
      throw new StorageException("write failed: " + e, e, false);
    }
  }

  @Override
  public void put(K key, V value) {
    write(key, value, Put.DEFAULT, LarderCache.Mode.PUT, 0);
  }

  @Override
  public void put(K key, V value, Put options) {
    write(key, value, options, LarderCache.Mode.PUT, 0);
  }

  @Override
  public boolean add(K key, V value, Put options) {
    return (Boolean) write(key, value, options, LarderCache.Mode.ADD, 0);
  }

  @Override
  public boolean replace(K key, V value, Put options) {
    return (Boolean) write(key, value, options, LarderCache.Mode.REPLACE, 0);
  }

  @Override
  public CasResult cas(K key, long version, V value, Put options) {
    return (CasResult) write(key, value, options, LarderCache.Mode.CAS, version);
  }

  @Override
  public boolean delete(K key) {
    check();
    return cache.deleteIn(w, cache.full(key));
  }

  @Override
  public V pop(K key) {
    check();
    byte[] full = cache.full(key);
    Lookup l = find(full);
    if (l == null) {
      return null;
    }
    V v = cache.decode(l, full);
    w.remove(Keys.stored(cache.at(w, full)), l.record(), State.DELETES);
    return v;
  }

  @Override
  public long incr(K key, long delta) {
    check();
    try {
      return cache.incrIn(w, cache.full(key), delta, true);
    } catch (IOException e) {
      throw new StorageException("write failed: " + e, e, false);
    }
  }

  @Override
  public boolean touch(K key, Duration ttl) {
    check();
    long ttlMillis = LarderCache.checkTtl(ttl);
    return cache.setExpiry(w, cache.full(key), Math.addExact(w.now(), ttlMillis));
  }

  @Override
  public boolean persist(K key) {
    check();
    return cache.setExpiry(w, cache.full(key), 0);
  }
}
