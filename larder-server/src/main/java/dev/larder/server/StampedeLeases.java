package dev.larder.server;

import dev.larder.Cache;
import dev.larder.LoadLease;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The load leases this server holds for meta-protocol clients that won ({@code W}) a vivify
 * ({@code N}), recache ({@code R}) or stale ({@code X}) race, keyed by cache key, until the winner
 * stores its value with {@code ms} (or a classic {@code set}) or the lease times out.
 *
 * <p>The leases are the core's ({@link Cache#tryLease}), so a Java application calling {@code
 * cache.get(key, loader)} on the same directory and memcached clients share one stampede
 * protection: while either holds a key's lease, the other side waits ({@code Z} for memcached
 * clients). A win is handed out once per lease; every other client gets {@code Z} until the value
 * is stored. A lease that is never used lapses after its timeout in the core, and this map forgets
 * it lazily at the same deadline. If the server dies, the core frees its leases at once.
 *
 * <p>Thread-safe: the map is concurrent, and each lease is used under its holder's monitor (a
 * {@link LoadLease} is not thread-safe).
 */
final class StampedeLeases {
  /** The lease timeout when a flag gives none (N0, or the stale case). */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final Cache<byte[], byte[]> cache;
  private final Map<Key, Held> held = new ConcurrentHashMap<>();

  StampedeLeases(Cache<byte[], byte[]> cache) {
    this.cache = cache;
  }

  record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  static final class Held {
    final LoadLease<byte[], byte[]> lease;
    final long deadlineMillis;
    /** The connection that won: only its store goes through the lease. */
    final Session owner;

    Held(LoadLease<byte[], byte[]> lease, long deadlineMillis, Session owner) {
      this.lease = lease;
      this.deadlineMillis = deadlineMillis;
      this.owner = owner;
    }
  }

  /** The live lease this server holds for {@code key}, or null. */
  Held live(byte[] key, long nowMillis) {
    if (held.isEmpty()) {
      return null;
    }
    Key k = new Key(key);
    Held h = held.get(k);
    if (h != null && h.deadlineMillis <= nowMillis) {
      held.remove(k, h);
      return null;
    }
    return h;
  }

  /**
   * Tries to win the right to (re)compute {@code key}: true when this server took the core lease
   * now, false when this server or another holder (another process, a Java loader) has it.
   */
  boolean tryWin(byte[] key, Duration timeout, long nowMillis, Session owner) {
    Key k = new Key(key);
    boolean[] won = {false};
    held.compute(k, (kk, h) -> {
      if (h != null && h.deadlineMillis > nowMillis) {
        return h;
      }
      LoadLease<byte[], byte[]> lease = cache.tryLease(key, timeout);
      if (lease == null) {
        return null;
      }
      won[0] = true;
      return new Held(lease, nowMillis + timeout.toMillis(), owner);
    });
    if (won[0]) {
      owner.won.add(k);
    }
    return won[0];
  }

  /** What {@link #take} returns for a lease the owner won but lost since: its store must be refused. */
  static final Held FENCED = new Held(null, 0, null);

  /**
   * Removes and returns the live lease for {@code key} if {@code owner} won it, for it to store
   * through; {@link #FENCED} if {@code owner} won it but it was dropped since (the key was deleted
   * or invalidated, or the lease timed out); null if {@code owner} holds none. A lease won by
   * another connection stays: the write of this one fences it in the core, so the winner's late
   * store is refused ({@code NS}) instead of overwriting a newer value.
   */
  Held take(byte[] key, long nowMillis, Session owner) {
    if (owner.won.isEmpty()) {
      return null;
    }
    Key k = new Key(key);
    if (!owner.won.remove(k)) {
      return null;
    }
    Held h = held.get(k);
    if (h == null || h.owner != owner) {
      return FENCED;
    }
    held.remove(k, h);
    return h.deadlineMillis > nowMillis ? h : FENCED;
  }

  /** Releases the leases {@code owner} won and did not use; when its connection closes. */
  void releaseAll(Session owner) {
    for (Key k : owner.won) {
      Held h = held.get(k);
      if (h != null && h.owner == owner && held.remove(k, h)) {
        synchronized (h) {
          h.lease.release();
        }
      }
    }
    owner.won.clear();
  }

  /** Drops the lease of {@code key}, if any, releasing it in the core. */
  void release(byte[] key) {
    if (held.isEmpty()) {
      return;
    }
    Held h = held.remove(new Key(key));
    if (h != null) {
      synchronized (h) {
        h.lease.release();
      }
    }
  }

  /** Forgets leases past their deadline (the core has let them lapse). */
  void sweep(long nowMillis) {
    for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
      if (it.next().deadlineMillis <= nowMillis) {
        it.remove();
      }
    }
  }

  /** Releases every lease, on shutdown. */
  void releaseAll() {
    for (Key k : held.keySet()) {
      release(k.bytes());
    }
  }

  int size() {
    return held.size();
  }
}
