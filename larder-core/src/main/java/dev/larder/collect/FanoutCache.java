package dev.larder.collect;

import dev.larder.Cache;
import dev.larder.CasResult;
import dev.larder.Codec;
import dev.larder.Durability;
import dev.larder.Entry;
import dev.larder.EvictionPolicy;
import dev.larder.Finding;
import dev.larder.Larder;
import dev.larder.Load;
import dev.larder.LoadLease;
import dev.larder.Namespace;
import dev.larder.Put;
import dev.larder.StoredValue;
import dev.larder.Transaction;
import dev.larder.stats.CacheStats;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A cache split into N shards, each its own LMDB environment in its own directory ({@code
 * dir/shard-000}, {@code dir/shard-001}, ...), so that writers to different shards, in any
 * process, do not wait for one another: LMDB admits one writer per environment.
 *
 * <pre>{@code
 * try (FanoutCache<String, byte[]> cache = FanoutCache.builder(dir).shards(8).open()) {
 *   cache.put("k", bytes);
 * }
 * }</pre>
 *
 * <h2>Routing</h2>
 *
 * A key lives in shard {@code CRC32C([type tag][encodeKey bytes]) mod N}, the same in every
 * process, JVM and platform. The shard count is written to {@code dir/fanout.properties} when the
 * cache is created; opening it with another count is an {@link IllegalArgumentException}, since
 * every key would be looked for in the wrong shard.
 *
 * <h2>Guarantees</h2>
 *
 * Thread-safe and process-safe. Operations on one key are those of {@link Cache} on its shard,
 * atomic and durable as there. Operations on many keys are atomic per shard only: {@link #putAll},
 * {@link #deleteAll} and {@link #getAll} act on each shard in one transaction, not on all of them at
 * once; {@link #keys()} merges the shards' sorted keys; {@link #clear()}, {@link #expire()}, {@link
 * #evictTag} act shard after shard. {@link #size()}, {@link #volume()} and {@link #stats()} are sums.
 *
 * <h2>Size limits</h2>
 *
 * {@link Builder#maxSize} and {@link Builder#maxEntries} are totals, split evenly: each shard is
 * limited to {@code total / N} (at least 4 KiB) and evicts on its own, so eviction may start a
 * little before the total is reached when keys hash unevenly.
 *
 * <h2>Timeouts</h2>
 *
 * With {@link Builder#timeout}, every write of one or many keys (put, add, replace, cas, append,
 * prepend, incr, decr, touch, persist, delete, pop, putAll, deleteAll) must begin on its shard
 * within the timeout: it runs on the shard's worker thread, and if the shard's write lock (held by
 * another thread or process) or the writes queued before it keep it waiting longer, the caller gets
 * a {@link ShardTimeoutException} and the write is withdrawn: it never takes effect. Whether it is
 * withdrawn or goes ahead is decided by one compare-and-set made inside the shard's write
 * transaction, so a write cannot be reported as failed and still commit later. A write is never silently dropped, unlike
 * python-diskcache. Reads never wait for writers and have no timeout; {@link #putStream}, loading
 * {@code get}s, {@link #tryLease} and whole-cache operations are not timed. With a timeout, values
 * are written inside the shard transaction and so stored inline whatever their size. Without a
 * timeout (the default) every operation is the shard's own and may wait as long as the lock is held.
 *
 * <p>{@link #transact} and {@link #namespace} are not supported across shards: use {@link
 * #transact(Object, Function)} for a transaction on the shard of one key, or {@link #shard(int)}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class FanoutCache<K, V> implements Cache<K, V> {
  private final Path dir;
  private final List<Cache<K, V>> shards;
  private final List<ShardGate> gates;
  private final Codec<K> keys;
  private final Codec<V> values;
  private final Duration timeout;

  private FanoutCache(Path dir, List<Cache<K, V>> shards, Codec<K> keys, Codec<V> values, Duration timeout) {
    this.dir = dir;
    this.shards = List.copyOf(shards);
    this.keys = keys;
    this.values = values;
    this.timeout = timeout;
    List<ShardGate> g = new ArrayList<>();
    if (timeout != null) {
      for (int i = 0; i < shards.size(); i++) {
        g.add(new ShardGate(i));
      }
    }
    this.gates = List.copyOf(g);
  }

  /** A builder for the fanout cache in {@code dir}; without codecs a {@code FanoutCache<String, byte[]>}. */
  public static Builder<String, byte[]> builder(Path dir) {
    return new Builder<>(Objects.requireNonNull(dir, "dir"));
  }

  // ---- routing ----------------------------------------------------------------------------------

  /** The shard of a full key ({@code [tag][encodeKey bytes]}) among {@code shards}: CRC32C mod N. */
  static int shardOf(byte[] fullKey, int shards) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(fullKey);
    return (int) (crc.getValue() % shards);
  }

  private byte[] fullKey(K key) {
    Objects.requireNonNull(key, "key");
    byte[] enc = keys.encodeKey(key);
    byte[] full = new byte[enc.length + 1];
    full[0] = (byte) keys.tag();
    System.arraycopy(enc, 0, full, 1, enc.length);
    return full;
  }

  /** The index of the shard that holds {@code key}. */
  public int shardOf(K key) {
    return shardOf(fullKey(key), shards.size());
  }

  private Cache<K, V> of(K key) {
    return shards.get(shardOf(key));
  }

  /** The number of shards. */
  public int shardCount() {
    return shards.size();
  }

  /** Shard {@code i}, a plain {@link Cache} on its directory; closed with this cache. */
  public Cache<K, V> shard(int i) {
    return shards.get(Objects.checkIndex(i, shards.size()));
  }

  /** The operation timeout, or {@code null} when writes wait as long as they must. */
  public Duration timeout() {
    return timeout;
  }

  // ---- timed writes -----------------------------------------------------------------------------

  private <R> R write(K key, Function<Transaction<K, V>, R> work, Function<Cache<K, V>, R> direct) {
    int i = shardOf(key);
    if (timeout == null) {
      return direct.apply(shards.get(i));
    }
    return timed(i, work);
  }

  private <R> R timed(int i, Function<Transaction<K, V>, R> work) {
    ShardGate.Attempt<R> a = gates.get(i).submit(shards.get(i), work);
    if (a == null) {
      throw timedOut(List.of(i), "its queue of writes is full");
    }
    return await(i, a, System.nanoTime() + timeout.toNanos());
  }

  private <R> R await(int i, ShardGate.Attempt<R> a, long deadline) {
    try {
      return a.result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (a.withdraw()) {
        throw timedOut(List.of(i), "the write lock was not free in time");
      }
      return a.join(); // it holds the lock and is committing: wait for it
    } catch (InterruptedException e) {
      if (a.withdraw()) {
        Thread.currentThread().interrupt();
        throw new ShardTimeoutException("interrupted while waiting for shard " + i + " of " + dir
            + "; the write was withdrawn", List.of(i), timeout);
      }
      Thread.currentThread().interrupt();
      return a.join();
    } catch (ExecutionException e) {
      throw ShardGate.rethrow(e.getCause());
    }
  }

  private ShardTimeoutException timedOut(List<Integer> which, String why) {
    return new ShardTimeoutException("shard" + (which.size() == 1 ? " " : "s ") + which.toString().replaceAll("[\\[\\]]", "")
        + " of " + dir + " did not start the write within " + timeout + " (" + why
        + "); the write was withdrawn and did not take effect", which, timeout);
  }

  /** Groups keys by shard, keeping their order within each shard. */
  private <T> Map<Integer, List<T>> byShard(Collection<? extends T> items, Function<T, K> keyOf) {
    Map<Integer, List<T>> out = new java.util.TreeMap<>();
    for (T t : items) {
      out.computeIfAbsent(shardOf(keyOf.apply(t)), s -> new ArrayList<>()).add(t);
    }
    return out;
  }

  /** Runs a part of a multi-shard write on each shard, timed; returns each shard's result. */
  private <R> Map<Integer, R> timedEach(Map<Integer, Function<Transaction<K, V>, R>> parts) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Integer, ShardGate.Attempt<R>> attempts = new LinkedHashMap<>();
    List<Integer> withdrawn = new ArrayList<>();
    for (Map.Entry<Integer, Function<Transaction<K, V>, R>> p : parts.entrySet()) {
      ShardGate.Attempt<R> a = gates.get(p.getKey()).submit(shards.get(p.getKey()), p.getValue());
      if (a == null) {
        withdrawn.add(p.getKey());
      } else {
        attempts.put(p.getKey(), a);
      }
    }
    Map<Integer, R> results = new LinkedHashMap<>();
    RuntimeException failure = null;
    for (Map.Entry<Integer, ShardGate.Attempt<R>> e : attempts.entrySet()) {
      try {
        results.put(e.getKey(), await(e.getKey(), e.getValue(), deadline));
      } catch (ShardTimeoutException t) {
        withdrawn.addAll(t.shards());
      } catch (RuntimeException t) {
        failure = failure == null ? t : failure;
      }
    }
    if (!withdrawn.isEmpty()) {
      withdrawn.sort(null);
      ShardTimeoutException t = timedOut(withdrawn, "the parts on shards " + results.keySet() + " committed");
      if (failure != null) {
        t.addSuppressed(failure);
      }
      throw t;
    }
    if (failure != null) {
      throw failure;
    }
    return results;
  }

  // ---- reads ------------------------------------------------------------------------------------

  @Override
  public V get(K key) {
    return of(key).get(key);
  }

  @Override
  public Entry<K, V> getEntry(K key) {
    return of(key).getEntry(key);
  }

  /** Reads each shard's keys in one snapshot of that shard; not one snapshot across shards. */
  @Override
  public Map<K, V> getAll(Collection<? extends K> keysToRead) {
    List<Map<K, V>> found = new ArrayList<>();
    for (Map.Entry<Integer, List<K>> e : byShard(new ArrayList<K>(keysToRead), k -> k).entrySet()) {
      found.add(shards.get(e.getKey()).getAll(e.getValue()));
    }
    Map<K, V> out = new LinkedHashMap<>();
    for (K k : keysToRead) {
      for (Map<K, V> m : found) {
        if (m.containsKey(k)) {
          out.put(k, m.get(k));
          break;
        }
      }
    }
    return out;
  }

  @Override
  public boolean containsKey(K key) {
    return of(key).containsKey(key);
  }

  @Override
  public StoredValue open(K key) {
    return of(key).open(key);
  }

  @Override
  public V get(K key, Function<? super K, ? extends V> loader) {
    return of(key).get(key, loader);
  }

  @Override
  public V get(K key, Load options, Function<? super K, ? extends V> loader) {
    return of(key).get(key, options, loader);
  }

  @Override
  public LoadLease<K, V> tryLease(K key, Duration leaseTimeout) {
    return of(key).tryLease(key, leaseTimeout);
  }

  // ---- writes -----------------------------------------------------------------------------------

  @Override
  public void put(K key, V value) {
    put(key, value, Put.DEFAULT);
  }

  @Override
  public void put(K key, V value, Duration ttl) {
    put(key, value, Put.ttl(ttl));
  }

  @Override
  public void put(K key, V value, Put options) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(options, "options");
    write(key, tx -> {
      tx.put(key, value, options);
      return null;
    }, c -> {
      c.put(key, value, options);
      return null;
    });
  }

  /** Not timed: the stream is read outside the shard's lock. See {@link Cache#putStream}. */
  @Override
  public long putStream(K key, InputStream in, Put options) {
    return of(key).putStream(key, in, options);
  }

  @Override
  public boolean add(K key, V value) {
    return add(key, value, Put.DEFAULT);
  }

  @Override
  public boolean add(K key, V value, Put options) {
    Objects.requireNonNull(value, "value");
    return write(key, tx -> tx.add(key, value, options), c -> c.add(key, value, options));
  }

  @Override
  public boolean replace(K key, V value) {
    return replace(key, value, Put.DEFAULT);
  }

  @Override
  public boolean replace(K key, V value, Put options) {
    Objects.requireNonNull(value, "value");
    return write(key, tx -> tx.replace(key, value, options), c -> c.replace(key, value, options));
  }

  @Override
  public CasResult cas(K key, long version, V value) {
    return cas(key, version, value, Put.DEFAULT);
  }

  @Override
  public CasResult cas(K key, long version, V value, Put options) {
    Objects.requireNonNull(value, "value");
    return write(key, tx -> tx.cas(key, version, value, options), c -> c.cas(key, version, value, options));
  }

  private boolean concat(K key, V part, boolean atEnd) {
    Objects.requireNonNull(part, "part");
    byte[] partBytes = values.encode(part);
    return write(key, tx -> {
      Entry<K, V> e = tx.getEntry(key);
      if (e == null) {
        return false;
      }
      byte[] old = values.encode(e.value());
      byte[] merged = new byte[old.length + partBytes.length];
      System.arraycopy(atEnd ? old : partBytes, 0, merged, 0, atEnd ? old.length : partBytes.length);
      System.arraycopy(atEnd ? partBytes : old, 0, merged, atEnd ? old.length : partBytes.length,
          atEnd ? partBytes.length : old.length);
      Put keep = Put.DEFAULT.withTags(e.tags()).withFlags(e.flags());
      if (e.expiresAt() != null) {
        keep = keep.withExpireAt(e.expiresAt());
      }
      tx.put(key, values.decode(merged, 0, merged.length), keep);
      return true;
    }, c -> atEnd ? c.append(key, part) : c.prepend(key, part));
  }

  @Override
  public boolean append(K key, V suffix) {
    return concat(key, suffix, true);
  }

  @Override
  public boolean prepend(K key, V prefix) {
    return concat(key, prefix, false);
  }

  @Override
  public long incr(K key, long delta) {
    return write(key, tx -> tx.incr(key, delta), c -> c.incr(key, delta));
  }

  @Override
  public OptionalLong incrIfPresent(K key, long delta) {
    return write(key, tx -> tx.containsKey(key) ? OptionalLong.of(tx.incr(key, delta)) : OptionalLong.empty(),
        c -> c.incrIfPresent(key, delta));
  }

  @Override
  public long decr(K key, long delta) {
    // -Long.MIN_VALUE does not fit: add MAX_VALUE then 1, in the same transaction (an overflow
    // in either throws and rolls both back).
    return write(key, tx -> delta == Long.MIN_VALUE ? decrMin(tx, key) : tx.incr(key, -delta), c -> c.decr(key, delta));
  }

  private static <K> long decrMin(Transaction<K, ?> tx, K key) {
    tx.incr(key, Long.MAX_VALUE);
    return tx.incr(key, 1);
  }

  @Override
  public boolean touch(K key, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    return write(key, tx -> tx.touch(key, ttl), c -> c.touch(key, ttl));
  }

  @Override
  public boolean persist(K key) {
    return write(key, tx -> tx.persist(key), c -> c.persist(key));
  }

  @Override
  public boolean delete(K key) {
    return write(key, tx -> tx.delete(key), c -> c.delete(key));
  }

  @Override
  public V pop(K key) {
    return write(key, tx -> tx.pop(key), c -> c.pop(key));
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    putAll(entries, Put.DEFAULT);
  }

  /** Atomic per shard: each shard's part is one transaction. See the class comment on timeouts. */
  @Override
  public void putAll(Map<? extends K, ? extends V> entries, Put options) {
    Objects.requireNonNull(options, "options");
    List<Map.Entry<? extends K, ? extends V>> list = new ArrayList<>(entries.entrySet());
    Map<Integer, List<Map.Entry<? extends K, ? extends V>>> parts = byShard(list, Map.Entry::getKey);
    if (timeout == null) {
      for (Map.Entry<Integer, List<Map.Entry<? extends K, ? extends V>>> p : parts.entrySet()) {
        Map<K, V> m = new LinkedHashMap<>();
        for (Map.Entry<? extends K, ? extends V> e : p.getValue()) {
          m.put(e.getKey(), e.getValue());
        }
        shards.get(p.getKey()).putAll(m, options);
      }
      return;
    }
    Map<Integer, Function<Transaction<K, V>, Object>> work = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<Map.Entry<? extends K, ? extends V>>> p : parts.entrySet()) {
      work.put(p.getKey(), tx -> {
        for (Map.Entry<? extends K, ? extends V> e : p.getValue()) {
          tx.put(e.getKey(), e.getValue(), options);
        }
        return null;
      });
    }
    timedEach(work);
  }

  /** Atomic per shard. */
  @Override
  public int deleteAll(Collection<? extends K> keysToDelete) {
    Map<Integer, List<K>> parts = byShard(new ArrayList<K>(keysToDelete), k -> k);
    int n = 0;
    if (timeout == null) {
      for (Map.Entry<Integer, List<K>> p : parts.entrySet()) {
        n += shards.get(p.getKey()).deleteAll(p.getValue());
      }
      return n;
    }
    Map<Integer, Function<Transaction<K, V>, Integer>> work = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<K>> p : parts.entrySet()) {
      work.put(p.getKey(), tx -> {
        int d = 0;
        for (K k : p.getValue()) {
          d += tx.delete(k) ? 1 : 0;
        }
        return d;
      });
    }
    for (int d : timedEach(work).values()) {
      n += d;
    }
    return n;
  }

  /**
   * Not supported: a transaction cannot span shards.
   *
   * @throws UnsupportedOperationException always; use {@link #transact(Object, Function)}
   */
  @Override
  public <R> R transact(Function<Transaction<K, V>, R> work) {
    throw new UnsupportedOperationException(
        "a FanoutCache transaction spans one shard: use transact(key, work) for the shard of a key");
  }

  /**
   * Runs {@code work} in one transaction of the shard of {@code routingKey}; see {@link
   * Cache#transact}. Only keys of that shard ({@link #shardOf} equal) should be used inside it. Timed
   * like the other writes when a timeout is set.
   */
  public <R> R transact(K routingKey, Function<Transaction<K, V>, R> work) {
    Objects.requireNonNull(work, "work");
    return write(routingKey, work, c -> c.transact(work));
  }

  // ---- set invalidation ---------------------------------------------------------------------------

  @Override
  public long evictTag(String tag) {
    long n = 0;
    for (Cache<K, V> s : shards) {
      n += s.evictTag(tag);
    }
    return n;
  }

  /**
   * Not supported: a namespace's generation lives in one environment.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public Namespace<K, V> namespace(String name) {
    throw new UnsupportedOperationException("namespaces are not supported by FanoutCache: " + name);
  }

  // ---- the whole cache ----------------------------------------------------------------------------

  private Stream<K> merged(Function<Cache<K, V>, Stream<K>> perShard) {
    List<Iterator<K>> its = new ArrayList<>();
    for (Cache<K, V> s : shards) {
      its.add(perShard.apply(s).iterator());
    }
    Iterator<K> merge = new Iterator<>() {
      private final PriorityQueue<Object[]> heads = new PriorityQueue<>(
          (a, b) -> Arrays.compareUnsigned((byte[]) a[0], (byte[]) b[0]));
      private boolean started;

      private void advance(Iterator<K> it) {
        if (it.hasNext()) {
          K k = it.next();
          heads.add(new Object[] {keys.encodeKey(k), k, it});
        }
      }

      @Override
      public boolean hasNext() {
        if (!started) {
          started = true;
          its.forEach(this::advance);
        }
        return !heads.isEmpty();
      }

      @Override
      @SuppressWarnings("unchecked")
      public K next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object[] h = heads.poll();
        advance((Iterator<K>) h[2]);
        return (K) h[1];
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(merge,
        Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
  }

  /** The keys of all shards merged in encoded order; weakly consistent per shard. */
  @Override
  public Stream<K> keys() {
    return merged(Cache::keys);
  }

  @Override
  public Stream<K> keys(K prefix) {
    return merged(s -> s.keys(prefix));
  }

  @Override
  public Stream<K> keys(K prefix, K from) {
    return merged(s -> s.keys(prefix, from));
  }

  /** The sum of the shards' sizes, each exact; not one snapshot. */
  @Override
  public long size() {
    long n = 0;
    for (Cache<K, V> s : shards) {
      n += s.size();
    }
    return n;
  }

  @Override
  public long volume() {
    long n = 0;
    for (Cache<K, V> s : shards) {
      n += s.volume();
    }
    return n;
  }

  /** Clears each shard in turn: atomic per shard, not across them. */
  @Override
  public void clear() {
    shards.forEach(Cache::clear);
  }

  @Override
  public long expire() {
    long n = 0;
    for (Cache<K, V> s : shards) {
      n += s.expire();
    }
    return n;
  }

  /** The shards' counters, summed. */
  @Override
  public CacheStats stats() {
    long[] t = new long[12];
    for (Cache<K, V> s : shards) {
      CacheStats c = s.stats();
      long[] v = {c.count(), c.volume(), c.hits(), c.misses(), c.puts(), c.deletes(), c.evictionsBySize(),
          c.evictionsByCount(), c.expirations(), c.tagEvictions(), c.namespaceEvictions(), c.loads()};
      for (int i = 0; i < t.length; i++) {
        t[i] += v[i];
      }
    }
    return new CacheStats(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11]);
  }

  /** Checks every shard; each finding's subject is prefixed with its shard's directory name. */
  @Override
  public List<Finding> check(boolean fix) {
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      for (Finding f : shards.get(i).check(fix)) {
        out.add(new Finding(f.kind(), Shards.name(i) + "/" + f.subject(), f.message(), f.fixed()));
      }
    }
    return out;
  }

  /** The fanout directory (the shards are its subdirectories). */
  @Override
  public Path directory() {
    return dir;
  }

  /** Closes every shard and stops the shard workers after the writes queued on them. Idempotent. */
  @Override
  public void close() {
    for (ShardGate g : gates) {
      g.close();
    }
    for (Cache<K, V> s : shards) {
      s.close();
    }
  }

  @Override
  public String toString() {
    return "FanoutCache[" + dir + ", " + shards.size() + " shards" + (timeout == null ? "" : ", timeout " + timeout) + "]";
  }

  // ---- builder ----------------------------------------------------------------------------------

  /**
   * Configures and opens a fanout cache; the settings are those of {@link Larder.Builder}, applied
   * to every shard, with the size limits divided among the shards. Not thread-safe.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  public static final class Builder<K, V> {
    private final Path dir;
    private Integer shards;
    private Long maxSize;
    private Long maxEntries;
    private EvictionPolicy policy;
    private Integer blobThreshold;
    private Durability durability;
    private InstantSource clock;
    private Codec<?> keyCodec;
    private Codec<?> valueCodec;
    private Duration timeout;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /**
     * The number of shards, 1 to 256, fixed when the cache is created. Default: the stored count,
     * or 8 for a new cache.
     */
    public Builder<K, V> shards(int n) {
      if (n < 1 || n > Shards.MAX) {
        throw new IllegalArgumentException("shards must be between 1 and " + Shards.MAX + ", got " + n);
      }
      this.shards = n;
      return this;
    }

    /** The total size limit, split evenly among the shards (each at least 4 KiB). */
    public Builder<K, V> maxSize(long bytes) {
      if (bytes < Larder.Builder.MIN_MAX_SIZE || bytes > Larder.Builder.MAX_MAX_SIZE) {
        throw new IllegalArgumentException("maxSize must be between " + Larder.Builder.MIN_MAX_SIZE + " and "
            + Larder.Builder.MAX_MAX_SIZE + " bytes, got " + bytes);
      }
      this.maxSize = bytes;
      return this;
    }

    /** The total entry limit, split evenly among the shards (rounded up). */
    public Builder<K, V> maxEntries(long entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("maxEntries must be positive, got " + entries);
      }
      this.maxEntries = entries;
      return this;
    }

    /** The eviction policy of every shard. */
    public Builder<K, V> evictionPolicy(EvictionPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** See {@link Larder.Builder#blobThreshold}. */
    public Builder<K, V> blobThreshold(int bytes) {
      this.blobThreshold = bytes;
      return this;
    }

    /** See {@link Larder.Builder#durability}. */
    public Builder<K, V> durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /** See {@link Larder.Builder#clock}. */
    public Builder<K, V> clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The key codec; routing hashes its tag and {@link Codec#encodeKey} bytes. */
    @SuppressWarnings("unchecked")
    public <K2> Builder<K2, V> keyCodec(Codec<K2> codec) {
      this.keyCodec = Objects.requireNonNull(codec, "codec");
      return (Builder<K2, V>) this;
    }

    /** The value codec. */
    @SuppressWarnings("unchecked")
    public <V2> Builder<K, V2> valueCodec(Codec<V2> codec) {
      this.valueCodec = Objects.requireNonNull(codec, "codec");
      return (Builder<K, V2>) this;
    }

    /**
     * The most a write waits to begin on its shard before it is withdrawn with {@link
     * ShardTimeoutException}. Default: none (writes wait as long as they must).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder<K, V> timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Opens the cache, creating the directory, its shard-count file and the shards if needed.
     *
     * @throws IllegalArgumentException if the directory was created with another shard count, or
     *     is not a fanout cache directory
     */
    @SuppressWarnings("unchecked")
    public FanoutCache<K, V> open() {
      int n = Shards.establish(dir, shards);
      Codec<K> kc = (Codec<K>) (keyCodec != null ? keyCodec : Codec.string());
      Codec<V> vc = (Codec<V>) (valueCodec != null ? valueCodec : Codec.bytes());
      List<Cache<K, V>> opened = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          Larder.Builder<K, V> b = Larder.builder(dir.resolve(Shards.name(i))).keyCodec(kc).valueCodec(vc);
          if (maxSize != null) {
            b.maxSize(Math.max(Larder.Builder.MIN_MAX_SIZE, maxSize / n));
          }
          if (maxEntries != null) {
            b.maxEntries((maxEntries + n - 1) / n);
          }
          if (policy != null) {
            b.evictionPolicy(policy);
          }
          if (blobThreshold != null) {
            b.blobThreshold(blobThreshold);
          }
          if (durability != null) {
            b.durability(durability);
          }
          if (clock != null) {
            b.clock(clock);
          }
          opened.add(b.open());
        }
      } catch (RuntimeException e) {
        opened.forEach(Cache::close);
        throw e;
      }
      return new FanoutCache<>(dir, opened, kc, vc, timeout);
    }
  }
}
