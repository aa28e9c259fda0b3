package dev.larder;

import dev.larder.internal.Blobs;
import dev.larder.internal.Leases;
import dev.larder.internal.State;
import java.util.List;

/** A {@link LoadLease} over an internal {@link Leases.Lease}. */
final class LeaseView<K, V> implements LoadLease<K, V> {
  private final LarderCache<K, V> cache;
  private final K key;
  private final byte[] inner;
  private final Leases.Lease lease;
  private boolean done;

  LeaseView(LarderCache<K, V> cache, K key, byte[] inner, Leases.Lease lease) {
    this.cache = cache;
    this.key = key;
    this.inner = inner;
    this.lease = lease;
  }

  @Override
  public K key() {
    return key;
  }

  @Override
  public long token() {
    return lease.token();
  }

  @Override
  public boolean store(V value, Put options) {
    if (done) {
      throw new IllegalStateException("the lease of this key was already stored or released");
    }
    done = true;
    byte[] bytes = cache.encode(value);
    Blobs.Staged blob = bytes.length >= cache.store.settings().blobThreshold() ? cache.store.blobs().stage(bytes) : null;
    try {
      return cache.store.write(w -> {
        boolean ok = Leases.mayStore(w, lease, cache.at(w, inner), List.of());
        if (ok) {
          cache.apply(w, inner, bytes, blob, options, LarderCache.Mode.PUT, 0);
          w.count(State.LOADS, 1);
        }
        Leases.release(w, lease);
        return ok;
      }, cache.now());
    } finally {
      if (blob != null) {
        cache.store.blobs().release(blob);
      }
    }
  }

  @Override
  public void release() {
    if (done) {
      return;
    }
    done = true;
    cache.store.write(w -> {
      Leases.release(w, lease);
      return null;
    }, cache.now());
  }
}
