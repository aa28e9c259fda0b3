package dev.larder;

import dev.larder.internal.Blobs;
import dev.larder.internal.Leases;
import dev.larder.internal.Record;
import dev.larder.internal.State;
import dev.larder.internal.Store;
import dev.larder.internal.Store.Lookup;
import dev.larder.internal.WriteContext;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * {@link Cache#get(Object, Load, Function)}: loading without stampedes.
 *
 * <h2>Single flight</h2>
 *
 * Within a process, callers missing the same key join one future. Across processes, the loader
 * takes the key's lease ({@link Leases}) in a write transaction; other processes find the lease,
 * wait (polling the cache with a growing sleep, 1 to 50 ms) and read the value when it appears,
 * or take the lease over if its holder died or its deadline passed. The loader stores its value
 * only if nothing invalidated the key meanwhile (the fencing of {@link Leases}); either way its
 * callers get the value it computed.
 *
 * <h2>Refresh</h2>
 *
 * With {@code refreshAfter}, a read of an entry older than that returns the stored value at once
 * and, if no refresh of the key is running in any process (the lease again), starts one in the
 * background; a failed refresh leaves the old value, which lives until its TTL.
 *
 * <h2>Early recomputation</h2>
 *
 * XFetch (A. Vattani, F. Chierichetti, K. Lowenstein, "Optimal Probabilistic Cache Stampede
 * Prevention", VLDB 2015): a read recomputes before expiry when {@code -delta * beta * ln(rand)
 * >= ttl remaining}, {@code delta} being how long the last load took (stored with the value). The
 * reader that draws it takes the lease and recomputes synchronously; readers that find the lease
 * taken return the stored value, so one recomputation happens per expiry.
 */
final class Loading<K, V> {
  private static final System.Logger LOG = System.getLogger(Loading.class.getName());
  private static final Object FOUND = new Object();

  /** Background refreshes: two daemon threads, and refreshes beyond 1,024 queued are skipped. */
  private static final ThreadPoolExecutor REFRESH = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES,
      new ArrayBlockingQueue<>(1024), r -> {
        Thread t = new Thread(r, "larder-refresh");
        t.setDaemon(true);
        return t;
      }, new ThreadPoolExecutor.DiscardPolicy());

  private final LarderCache<K, V> cache;
  private final Store store;

  Loading(LarderCache<K, V> cache) {
    this.cache = cache;
    this.store = cache.store;
  }

  private record InFlight(String space, ByteBuffer inner) {}

  V get(K key, Load load, Function<? super K, ? extends V> loader) {
    byte[] inner = cache.full(key);
    long now = cache.now();
    Lookup l = store.lookup(cache.space, inner, now, true);
    if (l == null) {
      store.miss();
      return single(key, inner, load, loader, false);
    }
    store.hit();
    if (cache.space.isRoot()) {
      store.noteUse(inner);
    }
    Record r = l.record();
    if (load.refreshAfter() != null && now - r.storedAt() >= load.refreshAfter().toMillis()) {
      refreshInBackground(key, inner, load, loader, r.version());
      return cache.decode(l, inner);
    }
    if (earlyRecomputation(r, load, now)) {
      V recomputed = tryRecompute(key, inner, load, loader, r.version());
      if (recomputed != null) {
        closeQuietly(l);
        return recomputed;
      }
    }
    return cache.decode(l, inner);
  }

  private static boolean earlyRecomputation(Record r, Load load, long now) {
    if (load.beta() <= 0 || r.expiresAt() == 0 || r.loadMillis() <= 0) {
      return false;
    }
    RandomGenerator random = load.random() != null ? load.random() : ThreadLocalRandom.current();
    return xfetch(r.loadMillis(), load.beta(), r.expiresAt() - now, random);
  }

  /** XFetch's rule: recompute now if {@code -delta * beta * ln(rand) >= remaining}. */
  static boolean xfetch(long deltaMillis, double beta, long remainingMillis, RandomGenerator random) {
    double draw = random.nextDouble();
    return -deltaMillis * beta * Math.log(draw == 0 ? Double.MIN_VALUE : draw) >= remainingMillis;
  }

  /** Loads once per key in this process; across processes through the lease. */
  @SuppressWarnings("unchecked")
  private V single(K key, byte[] inner, Load load, Function<? super K, ? extends V> loader, boolean early) {
    InFlight k = new InFlight(cache.space.isRoot() ? "" : cache.space.name(), ByteBuffer.wrap(inner));
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> running = store.loadsInFlight().putIfAbsent(k, mine);
    if (running != null) {
      try {
        return (V) running.join();
      } catch (CompletionException e) {
        throw rethrow(e.getCause());
      }
    }
    try {
      V v = acrossProcesses(key, inner, load, loader);
      mine.complete(v);
      return v;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      store.loadsInFlight().remove(k, mine);
    }
  }

  private V acrossProcesses(K key, byte[] inner, Load load, Function<? super K, ? extends V> loader) {
    List<byte[]> tags = LarderCache.tagBytes(load.put());
    long timeout = load.leaseTimeout().toMillis();
    long sleep = 1;
    while (true) {
      Object got = store.write(w -> {
        byte[] full = cache.at(w, inner);
        Record r = w.find(dev.larder.internal.Keys.stored(full), full);
        if (r != null && !r.isExpired(w.now())) {
          return FOUND;
        }
        return Leases.tryAcquire(w, full, tags, timeout);
      }, cache.now());
      if (got instanceof Leases.Lease lease) {
        return loadWithLease(key, inner, load, loader, lease, tags);
      }
      if (got != FOUND) {
        sleep(sleep);
        sleep = Math.min(50, sleep * 2);
      }
      Lookup l = store.lookup(cache.space, inner, cache.now(), true);
      if (l != null) {
        return cache.decode(l, inner);
      }
    }
  }

  /** Runs the loader under {@code lease} and stores its value if nothing fenced it. */
  private V loadWithLease(K key, byte[] inner, Load load, Function<? super K, ? extends V> loader,
      Leases.Lease lease, List<byte[]> tags) {
    long started = cache.now();
    V value;
    try {
      value = loader.apply(key);
    } catch (RuntimeException | Error e) {
      releaseQuietly(lease);
      throw e;
    }
    if (value == null) {
      releaseQuietly(lease);
      return null;
    }
    int loadMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, cache.now() - started));
    byte[] bytes = cache.encode(value);
    Blobs.Staged blob = bytes.length >= store.settings().blobThreshold() ? store.blobs().stage(bytes) : null;
    try {
      store.write(w -> {
        if (!Leases.mayStore(w, lease, cache.at(w, inner), tags)) {
          Leases.release(w, lease);
          return null;
        }
        cache.apply(w, inner, bytes, blob, load.put(), LarderCache.Mode.PUT, 0, loadMillis);
        Leases.release(w, lease);
        w.count(State.LOADS, 1);
        return null;
      }, cache.now());
    } finally {
      if (blob != null) {
        store.blobs().release(blob);
      }
    }
    return value;
  }

  /** Recomputes now if this caller gets the lease; null if someone else is recomputing. */
  /**
   * Recomputes the entry of version {@code seenVersion} if no one else is, and if it is still that
   * version: a refresh queued twice, or an early recomputation racing another process's, must not
   * run again after the first one stored (found by LoadingTest under load: a second refresh,
   * queued before the first registered, stored a third value).
   */
  private V tryRecompute(K key, byte[] inner, Load load, Function<? super K, ? extends V> loader, long seenVersion) {
    InFlight k = new InFlight(cache.space.isRoot() ? "" : cache.space.name(), ByteBuffer.wrap(inner));
    if (store.loadsInFlight().containsKey(k)) {
      return null;
    }
    List<byte[]> tags = LarderCache.tagBytes(load.put());
    Object got = store.write(w -> Leases.tryAcquire(w, cache.at(w, inner), tags, load.leaseTimeout().toMillis(),
        seenVersion), cache.now());
    if (!(got instanceof Leases.Lease lease)) {
      return null;
    }
    CompletableFuture<Object> mine = new CompletableFuture<>();
    if (store.loadsInFlight().putIfAbsent(k, mine) != null) {
      releaseQuietly(lease);
      return null;
    }
    try {
      V v = loadWithLease(key, inner, load, loader, lease, tags);
      mine.complete(v);
      return v;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      store.loadsInFlight().remove(k, mine);
    }
  }

  private void refreshInBackground(K key, byte[] inner, Load load, Function<? super K, ? extends V> loader,
      long seenVersion) {
    InFlight k = new InFlight(cache.space.isRoot() ? "" : cache.space.name(), ByteBuffer.wrap(inner));
    if (store.loadsInFlight().containsKey(k)) {
      return;
    }
    REFRESH.execute(() -> {
      try {
        tryRecompute(key, inner, load, loader, seenVersion);
      } catch (RuntimeException | Error e) {
        LOG.log(Level.WARNING, "refresh of a key of " + store.directory() + " failed; the old value stays until it expires", e);
      }
    });
  }

  private void releaseQuietly(Leases.Lease lease) {
    try {
      store.write(w -> {
        Leases.release(w, lease);
        return null;
      }, cache.now());
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "could not release a lease; it expires by itself", e);
    }
  }

  private static void closeQuietly(Lookup l) {
    if (l.channel() != null) {
      try {
        l.channel().close();
      } catch (java.io.IOException ignored) {
        // read-only channel
      }
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException e) {
      return e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new LarderException("the loader failed: " + t, t);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LarderException("interrupted while waiting for another process to load a key", e);
    }
  }
}
