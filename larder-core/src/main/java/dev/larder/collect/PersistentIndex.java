package dev.larder.collect;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Durability;
import dev.larder.Transaction;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An ordered map kept in a Larder cache directory, shared by every thread and process that opens
 * it, surviving restarts: ordered in key order (the unsigned byte order of the key codec's {@link
 * Codec#encodeKey}, numeric for {@link Codec#int64()}) or, as an option, in insertion order.
 *
 * <pre>{@code
 * try (PersistentIndex<Long, String> idx =
 *     PersistentIndex.builder(dir, Codec.int64(), Codec.string()).name("orders").open()) {
 *   idx.put(42L, "open");
 *   idx.range(10L, 100L).forEach(e -> ...);   // keys 10 <= k < 100, in order
 *   Map.Entry<Long, String> oldest = idx.pollFirst();
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Thread-safe and process-safe.</b> {@link #put}, {@link #putIfAbsent}, {@link #remove},
 *       {@link #pollFirst} and {@link #pollLast} are each atomic across every thread and process:
 *       one write transaction ({@link Cache#transact}). A polled entry is returned to one caller only.
 *   <li><b>Reads never block writes.</b> {@link #get}, {@link #first}, {@link #size} read a
 *       snapshot; iteration ({@link #entries}, {@link #range}) is weakly consistent: in order,
 *       never failing because of concurrent writes, each key at most once, entries removed before
 *       they are reached are skipped.
 *   <li><b>Durable</b> as the directory's {@link Durability}: a write that returned survives {@code
 *       kill -9}; with {@link Durability#SYNC} also power loss.
 * </ul>
 *
 * <h2>Order</h2>
 *
 * {@link Order#KEY} (default) or {@link Order#INSERTION}, chosen when the index is created and stored
 * in the directory; opening it with the other order is an error. In insertion order, replacing the
 * value of a key keeps its place (as {@link java.util.LinkedHashMap} does) and {@link #range} is not
 * available.
 *
 * <h2>Storage</h2>
 *
 * Keys under the prefix {@code ['I'][name length][name]} of a directory opened with byte-array keys
 * and eviction policy {@code NONE}: entries at {@code 'e' + encoded key} (value: insertion sequence,
 * then the value), a reverse marker per entry for descending order ({@code 'r' +} the complement
 * of an order-preserving, terminated escape of the key, or of the sequence), in insertion order a
 * forward marker ({@code 'f' + sequence + key}), and counters for the size, the next sequence and a
 * structural version. Each new key costs two or three LMDB keys.
 *
 * <p>{@link #pollFirst} reads the first key outside the write lock and removes it in a transaction
 * that first checks the structural version it read before: if any key was added or removed
 * meanwhile it retries, so the entry it removes is the first at its commit.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class PersistentIndex<K, V> implements AutoCloseable {

  /** The order of iteration, {@link #first} and {@link #pollFirst}. */
  public enum Order {
    /** Ascending unsigned byte order of the encoded keys. */
    KEY,
    /** The order in which keys were first put; replacing a value keeps its place. */
    INSERTION
  }

  private final Cache<byte[], byte[]> cache;
  private final Codec<K> keys;
  private final Codec<V> values;
  private final Order order;
  private final byte[] prefix;
  private final byte[] entryPrefix;
  private final byte[] forwardPrefix;
  private final byte[] reversePrefix;
  private final byte[] sizeKey;
  private final byte[] versionKey;
  private final byte[] seqKey;
  private final byte[] orderKey;

  private PersistentIndex(Cache<byte[], byte[]> cache, Codec<K> keys, Codec<V> values, String name, Order order) {
    this.cache = cache;
    this.keys = keys;
    this.values = values;
    this.order = order;
    this.prefix = Layout.prefix('I', name);
    this.entryPrefix = Layout.key(prefix, 'e');
    this.forwardPrefix = Layout.key(prefix, 'f');
    this.reversePrefix = Layout.key(prefix, 'r');
    this.sizeKey = Layout.key(prefix, 'n');
    this.versionKey = Layout.key(prefix, 'v');
    this.seqKey = Layout.key(prefix, 's');
    this.orderKey = Layout.key(prefix, 'o');
  }

  /** A builder for an index in the cache directory {@code dir}. */
  public static <K, V> Builder<K, V> builder(Path dir, Codec<K> keys, Codec<V> values) {
    return new Builder<>(Objects.requireNonNull(dir, "dir"), Objects.requireNonNull(keys, "keys"),
        Objects.requireNonNull(values, "values"));
  }

  /**
   * Configures and opens an index. Not thread-safe.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  public static final class Builder<K, V> {
    private final Path dir;
    private final Codec<K> keys;
    private final Codec<V> values;
    private String name = "default";
    private Order order;
    private Long maxSize;
    private Durability durability;

    private Builder(Path dir, Codec<K> keys, Codec<V> values) {
      this.dir = dir;
      this.keys = keys;
      this.values = values;
    }

    /** The index's name within the directory, 1 to 200 bytes of UTF-8. Default: {@code "default"}. */
    public Builder<K, V> name(String name) {
      Layout.prefix('I', name);
      this.name = name;
      return this;
    }

    /** The order, fixed when the index is created. Default: the stored order, or {@link Order#KEY}. */
    public Builder<K, V> order(Order order) {
      this.order = Objects.requireNonNull(order, "order");
      return this;
    }

    /** The directory's size limit in bytes; see {@link dev.larder.Larder.Builder#maxSize}. */
    public Builder<K, V> maxSize(long bytes) {
      this.maxSize = bytes;
      return this;
    }

    /** What a committed write survives; see {@link Durability}. Default: {@link Durability#PROCESS}. */
    public Builder<K, V> durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /**
     * Opens the index, creating it if needed.
     *
     * @throws IllegalArgumentException if the index exists with the other order
     */
    public PersistentIndex<K, V> open() {
      Cache<byte[], byte[]> cache = Layout.open(dir, maxSize, durability);
      try {
        byte[] orderKey = Layout.key(Layout.prefix('I', name), 'o');
        Order wanted = order;
        Order stored = cache.transact(tx -> {
          byte[] o = tx.get(orderKey);
          if (o != null) {
            return Order.values()[o[0]];
          }
          Order chosen = wanted != null ? wanted : Order.KEY;
          tx.put(orderKey, new byte[] {(byte) chosen.ordinal()});
          return chosen;
        });
        if (wanted != null && wanted != stored) {
          throw new IllegalArgumentException("index '" + name + "' in " + dir + " was created with order " + stored
              + ", not " + wanted);
        }
        return new PersistentIndex<>(cache, keys, values, name, stored);
      } catch (RuntimeException e) {
        cache.close();
        throw e;
      }
    }
  }

  // ---- encoding ---------------------------------------------------------------------------------

  private byte[] enc(K key) {
    return keys.encodeKey(Objects.requireNonNull(key, "key"));
  }

  private K decKey(byte[] enc) {
    return keys.decodeKey(enc, 0, enc.length);
  }

  private V decValue(byte[] stored) {
    return values.decode(stored, 8, stored.length - 8);
  }

  private byte[] storedValue(long seq, V value) {
    byte[] v = values.encode(Objects.requireNonNull(value, "value"));
    byte[] out = new byte[8 + v.length];
    System.arraycopy(Layout.u64(seq), 0, out, 0, 8);
    System.arraycopy(v, 0, out, 8, v.length);
    return out;
  }

  /** Order-preserving and prefix-free: 0x00 becomes 0x00 0xFF, and 0x00 0x00 ends it. */
  static byte[] escape(byte[] b) {
    int zeros = 0;
    for (byte x : b) {
      if (x == 0) {
        zeros++;
      }
    }
    byte[] out = new byte[b.length + zeros + 2];
    int j = 0;
    for (byte x : b) {
      out[j++] = x;
      if (x == 0) {
        out[j++] = (byte) 0xFF;
      }
    }
    return out; // the last two bytes are already 0x00 0x00
  }

  static byte[] unescape(byte[] e, int off) {
    byte[] out = new byte[e.length - off];
    int j = 0;
    for (int i = off; i < e.length; i++) {
      if (e[i] == 0) {
        if (e[i + 1] == 0) {
          break;
        }
        i++; // 0x00 0xFF is an escaped 0x00
        out[j++] = 0;
      } else {
        out[j++] = e[i];
      }
    }
    return Arrays.copyOf(out, j);
  }

  static byte[] complement(byte[] b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) ~b[i];
    }
    return out;
  }

  private byte[] entryKey(byte[] enc) {
    return Layout.key(prefix, 'e', enc);
  }

  private byte[] reverseKey(byte[] enc, long seq) {
    if (order == Order.KEY) {
      return Layout.key(prefix, 'r', complement(escape(enc)));
    }
    return Layout.key(prefix, 'r', concat(complement(Layout.u64(seq)), enc));
  }

  private byte[] forwardKey(byte[] enc, long seq) {
    return Layout.key(prefix, 'f', concat(Layout.u64(seq), enc));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The encoded key in a key read from a forward ({@code first}) or reverse scan. */
  private byte[] keyOf(byte[] scanned, boolean forward) {
    int off = prefix.length + 1;
    if (order == Order.KEY) {
      return forward ? Layout.rest(scanned, off) : unescape(complement(Layout.rest(scanned, off)), 0);
    }
    return Layout.rest(scanned, off + 8);
  }

  private Stream<byte[]> scan(boolean forward) {
    byte[] p = !forward ? reversePrefix : order == Order.KEY ? entryPrefix : forwardPrefix;
    return cache.keys(p).map(k -> keyOf(k, forward));
  }

  // ---- transactions -----------------------------------------------------------------------------

  private static long read(Transaction<byte[], byte[]> tx, byte[] key) {
    return Layout.longValue(tx.get(key), 0);
  }

  private static void add(Transaction<byte[], byte[]> tx, byte[] key, long delta) {
    tx.put(key, Layout.u64(read(tx, key) + delta));
  }

  /** Adds a new key's markers and counts it; returns its sequence. */
  private long insertIn(Transaction<byte[], byte[]> tx, byte[] enc) {
    long seq = read(tx, seqKey);
    tx.put(seqKey, Layout.u64(seq + 1));
    tx.put(reverseKey(enc, seq), new byte[0]);
    if (order == Order.INSERTION) {
      tx.put(forwardKey(enc, seq), new byte[0]);
    }
    add(tx, sizeKey, 1);
    add(tx, versionKey, 1);
    return seq;
  }

  /** Removes a key with its markers; returns its stored value or null. */
  private byte[] removeIn(Transaction<byte[], byte[]> tx, byte[] enc) {
    byte[] old = tx.pop(entryKey(enc));
    if (old == null) {
      return null;
    }
    long seq = Layout.readU64(old, 0);
    tx.delete(reverseKey(enc, seq));
    if (order == Order.INSERTION) {
      tx.delete(forwardKey(enc, seq));
    }
    add(tx, sizeKey, -1);
    add(tx, versionKey, 1);
    return old;
  }

  // ---- the map ------------------------------------------------------------------------------------

  /** The value of {@code key}, or {@code null}. A snapshot read; never blocks. */
  public V get(K key) {
    byte[] v = cache.get(entryKey(enc(key)));
    return v == null ? null : decValue(v);
  }

  /** Whether {@code key} is present. */
  public boolean containsKey(K key) {
    return cache.containsKey(entryKey(enc(key)));
  }

  /**
   * Stores {@code value} under {@code key} and returns the previous value, or {@code null}. One
   * write transaction.
   *
   * @throws dev.larder.CacheFullException if the directory is at its size limit
   */
  public V put(K key, V value) {
    byte[] enc = enc(key);
    Objects.requireNonNull(value, "value");
    byte[] old = cache.transact(tx -> {
      byte[] prev = tx.get(entryKey(enc));
      long seq = prev != null ? Layout.readU64(prev, 0) : insertIn(tx, enc);
      tx.put(entryKey(enc), storedValue(seq, value));
      return prev;
    });
    return old == null ? null : decValue(old);
  }

  /**
   * Stores {@code value} only if {@code key} is absent, atomically across threads and processes.
   *
   * @return the value already there (nothing was stored), or {@code null} when this call stored it
   */
  public V putIfAbsent(K key, V value) {
    byte[] enc = enc(key);
    Objects.requireNonNull(value, "value");
    byte[] existing = cache.transact(tx -> {
      byte[] prev = tx.get(entryKey(enc));
      if (prev == null) {
        tx.put(entryKey(enc), storedValue(insertIn(tx, enc), value));
      }
      return prev;
    });
    return existing == null ? null : decValue(existing);
  }

  /** Removes {@code key} and returns its value, or {@code null} if absent. One write transaction. */
  public V remove(K key) {
    byte[] enc = enc(key);
    byte[] old = cache.transact(tx -> removeIn(tx, enc));
    return old == null ? null : decValue(old);
  }

  /** The number of entries, exactly, O(1). */
  public long size() {
    return Layout.longValue(cache.get(sizeKey), 0);
  }

  /** Whether the index is empty. */
  public boolean isEmpty() {
    return size() == 0;
  }

  /** The index's order. */
  public Order order() {
    return order;
  }

  private Map.Entry<K, V> end(boolean forward) {
    while (true) {
      Optional<byte[]> k = scan(forward).findFirst();
      if (k.isEmpty()) {
        return null;
      }
      byte[] v = cache.get(entryKey(k.get()));
      if (v != null) {
        return Map.entry(decKey(k.get()), decValue(v));
      }
      // removed meanwhile: look again
    }
  }

  /** The first entry in the index's order, or {@code null} if empty. */
  public Map.Entry<K, V> first() {
    return end(true);
  }

  /** The last entry in the index's order, or {@code null} if empty. */
  public Map.Entry<K, V> last() {
    return end(false);
  }

  private static final Object RETRY = new Object();

  private Map.Entry<K, V> poll(boolean forward) {
    while (true) {
      long version = Layout.longValue(cache.get(versionKey), 0);
      Optional<byte[]> k = scan(forward).findFirst();
      if (k.isEmpty()) {
        return null;
      }
      byte[] enc = k.get();
      Object got = cache.transact(tx -> {
        if (read(tx, versionKey) != version) {
          return RETRY; // a key was added or removed since the scan: it may not be the end any more
        }
        byte[] old = removeIn(tx, enc);
        return old == null ? RETRY : old;
      });
      if (got != RETRY) {
        return Map.entry(decKey(enc), decValue((byte[]) got));
      }
    }
  }

  /**
   * Removes and returns the first entry in the index's order, or returns {@code null} if empty.
   * Atomic: the entry is the first at the commit of its removal, and no other caller gets it.
   * Retries while other callers add or remove keys between its read and its write.
   */
  public Map.Entry<K, V> pollFirst() {
    return poll(true);
  }

  /** Removes and returns the last entry, or {@code null}. See {@link #pollFirst}. */
  public Map.Entry<K, V> pollLast() {
    return poll(false);
  }

  private Stream<Map.Entry<K, V>> withValues(Stream<byte[]> encodedKeys) {
    return encodedKeys.map(enc -> {
      byte[] v = cache.get(entryKey(enc));
      return v == null ? null : Map.entry(decKey(enc), decValue(v));
    }).filter(Objects::nonNull);
  }

  /** The entries in the index's order; weakly consistent (see the class comment). Need not be closed. */
  public Stream<Map.Entry<K, V>> entries() {
    return withValues(scan(true));
  }

  /** The entries in reverse order; weakly consistent. */
  public Stream<Map.Entry<K, V>> descendingEntries() {
    return withValues(scan(false));
  }

  /** The keys in the index's order; weakly consistent. */
  public Stream<K> keys() {
    return scan(true).map(this::decKey);
  }

  /**
   * The entries with {@code from <= key < to} in key order, seeking to {@code from} in O(log n);
   * weakly consistent. Either bound may be {@code null} for no bound.
   *
   * @throws UnsupportedOperationException in an index in insertion order
   */
  public Stream<Map.Entry<K, V>> range(K from, K to) {
    if (order != Order.KEY) {
      throw new UnsupportedOperationException("range needs an index in key order; this one is in " + order);
    }
    byte[] lo = from == null ? null : entryKey(enc(from));
    byte[] hi = to == null ? null : entryKey(enc(to));
    Stream<byte[]> ks = lo == null ? cache.keys(entryPrefix) : cache.keys(entryPrefix, lo);
    if (hi != null) {
      ks = ks.takeWhile(k -> Arrays.compareUnsigned(k, hi) < 0);
    }
    return withValues(ks.map(k -> keyOf(k, true)));
  }

  /**
   * Removes every entry, in transactions of up to 256 keys. Not atomic as a whole: keys added
   * meanwhile may or may not be removed; a crash midway leaves some entries, each whole.
   */
  public void clear() {
    while (true) {
      List<byte[]> batch = scan(true).limit(256).collect(Collectors.toList());
      if (batch.isEmpty()) {
        return;
      }
      cache.transact(tx -> {
        for (byte[] enc : batch) {
          removeIn(tx, enc);
        }
        return null;
      });
    }
  }

  /** Closes this handle's directory handle; other handles stay open. Idempotent. */
  @Override
  public void close() {
    cache.close();
  }

  @Override
  public String toString() {
    return "PersistentIndex[" + Layout.describe(prefix) + ", " + order + " order, in " + cache.directory() + "]";
  }
}
