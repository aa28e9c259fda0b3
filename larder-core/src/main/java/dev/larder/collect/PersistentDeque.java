package dev.larder.collect;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Durability;
import dev.larder.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A double-ended queue kept in a Larder cache directory, shared by every thread and process that
 * opens it: a work queue between processes, a bounded log of recent events.
 *
 * <pre>{@code
 * try (PersistentDeque<String> jobs = PersistentDeque.builder(dir, Codec.string()).name("jobs").open()) {
 *   jobs.pushLast("resize:42");
 *   String next = jobs.pollFirst();   // null when empty
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Thread-safe and process-safe.</b> Every push and poll is one write transaction of the
 *       directory ({@link Cache#transact}): atomic with respect to every thread and process.
 *   <li><b>Exactly-once delivery.</b> An element is delivered when the transaction of the poll that
 *       removes it commits; no other poll, in any process, can return it after that. A consumer that
 *       crashes after the commit but before it has processed the element loses that element: this
 *       is at-most-once processing per element. For at-least-once processing, move the element to a
 *       second deque (or a {@link PersistentIndex}) of work in progress in your own transaction
 *       protocol and remove it when done.
 *   <li><b>Durable</b> as the directory's {@link Durability}: a push that returned survives {@code
 *       kill -9} of any process; with {@link Durability#SYNC} also power loss.
 * </ul>
 *
 * <h2>Maximum length</h2>
 *
 * With {@link Builder#maxLength}, a push to a full deque first removes the element at the far end
 * (pushing last drops the first element, pushing first drops the last), in the same transaction.
 * The maximum length is stored in the directory: every handle of the deque in every process
 * trims by it; a builder that sets it replaces it, one that does not keeps it.
 *
 * <h2>Storage</h2>
 *
 * A deque is a set of keys in a cache directory opened with byte-array keys and eviction policy
 * {@code NONE}, under the prefix {@code ['D'][name length][name]}, so several deques and indexes can
 * share one directory (and its one write lock). Elements sit at signed 64-bit positions between a
 * head and a tail counter, so both ends grow without moving anything. A full directory refuses a
 * push with {@link dev.larder.CacheFullException} rather than evicting elements.
 *
 * @param <E> the element type
 */
public final class PersistentDeque<E> implements Iterable<E>, AutoCloseable {
  private static final int BATCH = 256;

  private final Cache<byte[], byte[]> cache;
  private final Codec<E> codec;
  private final byte[] prefix;
  private final byte[] headKey;
  private final byte[] tailKey;
  private final byte[] maxKey;

  private PersistentDeque(Cache<byte[], byte[]> cache, Codec<E> codec, String name) {
    this.cache = cache;
    this.codec = codec;
    this.prefix = Layout.prefix('D', name);
    this.headKey = Layout.key(prefix, 'h');
    this.tailKey = Layout.key(prefix, 't');
    this.maxKey = Layout.key(prefix, 'm');
  }

  /** A builder for a deque in the cache directory {@code dir}, with elements encoded by {@code codec}. */
  public static <E> Builder<E> builder(Path dir, Codec<E> codec) {
    return new Builder<>(Objects.requireNonNull(dir, "dir"), Objects.requireNonNull(codec, "codec"));
  }

  /**
   * Configures and opens a deque. Not thread-safe.
   *
   * @param <E> the element type
   */
  public static final class Builder<E> {
    private final Path dir;
    private final Codec<E> codec;
    private String name = "default";
    private long maxLength;
    private Long maxSize;
    private Durability durability;

    private Builder(Path dir, Codec<E> codec) {
      this.dir = dir;
      this.codec = codec;
    }

    /** The deque's name within the directory, 1 to 200 bytes of UTF-8. Default: {@code "default"}. */
    public Builder<E> name(String name) {
      Layout.prefix('D', name);
      this.name = name;
      return this;
    }

    /**
     * The most elements the deque holds; a push beyond it drops the element at the other end. Stored
     * in the directory for every handle. Default: the stored value, or unbounded.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder<E> maxLength(long maxLength) {
      if (maxLength < 1) {
        throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
      }
      this.maxLength = maxLength;
      return this;
    }

    /** The directory's size limit in bytes; see {@link dev.larder.Larder.Builder#maxSize}. */
    public Builder<E> maxSize(long bytes) {
      this.maxSize = bytes;
      return this;
    }

    /** What a committed push or poll survives; see {@link Durability}. Default: {@link Durability#PROCESS}. */
    public Builder<E> durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /**
     * Opens the deque, creating the directory if needed.
     *
     * @throws IllegalArgumentException if {@code dir} is not a Larder cache directory
     */
    public PersistentDeque<E> open() {
      Cache<byte[], byte[]> cache = Layout.open(dir, maxSize, durability);
      PersistentDeque<E> d = new PersistentDeque<>(cache, codec, name);
      if (maxLength > 0) {
        long m = maxLength;
        cache.transact(tx -> {
          tx.put(d.maxKey, Layout.u64(m));
          d.trim(tx, m, true);
          return null;
        });
      }
      return d;
    }
  }

  // ---- positions ----------------------------------------------------------------------------

  private byte[] item(long position) {
    return Layout.key(prefix, 'i', position);
  }

  private static long read(Transaction<byte[], byte[]> tx, byte[] key) {
    return Layout.longValue(tx.get(key), 0);
  }

  /** Removes elements from the front (or back) until at most {@code max} are left. */
  private void trim(Transaction<byte[], byte[]> tx, long max, boolean fromFront) {
    long h = read(tx, headKey);
    long t = read(tx, tailKey);
    while (t - h > max) {
      if (fromFront) {
        tx.delete(item(h++));
      } else {
        tx.delete(item(--t));
      }
    }
    tx.put(headKey, Layout.u64(h));
    tx.put(tailKey, Layout.u64(t));
  }

  private void push(E element, boolean last) {
    Objects.requireNonNull(element, "element");
    byte[] v = codec.encode(element);
    cache.transact(tx -> {
      pushIn(tx, v, last);
      return null;
    });
  }

  private void pushIn(Transaction<byte[], byte[]> tx, byte[] v, boolean last) {
    long max = Layout.longValue(tx.get(maxKey), Long.MAX_VALUE);
    long h = read(tx, headKey);
    long t = read(tx, tailKey);
    if (t - h >= max) {
      // Full: drop the element at the far end first.
      if (last) {
        tx.delete(item(h++));
      } else {
        tx.delete(item(--t));
      }
    }
    if (last) {
      tx.put(item(t++), v);
    } else {
      tx.put(item(--h), v);
    }
    tx.put(headKey, Layout.u64(h));
    tx.put(tailKey, Layout.u64(t));
  }

  /**
   * Appends {@code element} at the back, dropping the front element if the deque is at its maximum
   * length. One write transaction.
   *
   * @throws dev.larder.CacheFullException if the directory is at its size limit
   */
  public void pushLast(E element) {
    push(element, true);
  }

  /** Inserts {@code element} at the front, dropping the back element if the deque is full. See {@link #pushLast}. */
  public void pushFirst(E element) {
    push(element, false);
  }

  /**
   * Appends every element of {@code elements} at the back, in order, in one write transaction: other
   * threads and processes see all of them or none. With a maximum length, only the last ones stay.
   */
  public void pushAllLast(Iterable<? extends E> elements) {
    List<byte[]> encoded = new ArrayList<>();
    for (E e : elements) {
      encoded.add(codec.encode(Objects.requireNonNull(e, "element")));
    }
    cache.transact(tx -> {
      for (byte[] v : encoded) {
        pushIn(tx, v, true);
      }
      return null;
    });
  }

  private List<E> poll(int max, boolean first) {
    List<byte[]> got = cache.transact(tx -> {
      long h = read(tx, headKey);
      long t = read(tx, tailKey);
      List<byte[]> out = new ArrayList<>(Math.min(max, 64));
      while (h < t && out.size() < max) {
        byte[] v = tx.pop(item(first ? h++ : --t));
        if (v != null) { // a missing position (removed by hand) is skipped
          out.add(v);
        }
      }
      tx.put(headKey, Layout.u64(h));
      tx.put(tailKey, Layout.u64(t));
      return out;
    });
    List<E> out = new ArrayList<>(got.size());
    for (byte[] v : got) {
      out.add(codec.decode(v, 0, v.length));
    }
    return out;
  }

  /**
   * Removes and returns the front element, or returns {@code null} if the deque is empty. One write
   * transaction: the element is delivered to this caller only, when it commits.
   */
  public E pollFirst() {
    List<E> l = poll(1, true);
    return l.isEmpty() ? null : l.get(0);
  }

  /** Removes and returns the back element, or {@code null} if empty. See {@link #pollFirst}. */
  public E pollLast() {
    List<E> l = poll(1, false);
    return l.isEmpty() ? null : l.get(0);
  }

  /**
   * Removes and returns up to {@code max} elements from the front, in order, in one write
   * transaction: fewer write transactions for a consumer that can take a batch.
   *
   * @throws IllegalArgumentException if {@code max} is not positive
   */
  public List<E> pollFirst(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive, got " + max);
    }
    return poll(max, true);
  }

  private long[] ends() {
    Map<byte[], byte[]> m = cache.getAll(List.of(headKey, tailKey));
    long h = 0;
    long t = 0;
    for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
      if (e.getKey() == headKey) {
        h = Layout.longValue(e.getValue(), 0);
      } else {
        t = Layout.longValue(e.getValue(), 0);
      }
    }
    return new long[] {h, t};
  }

  private E peek(boolean first) {
    while (true) {
      long[] ends = ends();
      if (ends[0] >= ends[1]) {
        return null;
      }
      byte[] v = cache.get(item(first ? ends[0] : ends[1] - 1));
      if (v != null) {
        return codec.decode(v, 0, v.length);
      }
      // polled meanwhile: read the ends again
    }
  }

  /** Returns the front element without removing it, or {@code null} if empty. Reads never block writers. */
  public E peekFirst() {
    return peek(true);
  }

  /** Returns the back element without removing it, or {@code null} if empty. */
  public E peekLast() {
    return peek(false);
  }

  /** The number of elements, read in one consistent snapshot. O(1). */
  public long size() {
    long[] ends = ends();
    return ends[1] - ends[0];
  }

  /** Whether the deque is empty. */
  public boolean isEmpty() {
    return size() == 0;
  }

  /** The maximum length stored in the directory, or {@link Long#MAX_VALUE} when unbounded. */
  public long maxLength() {
    return Layout.longValue(cache.get(maxKey), Long.MAX_VALUE);
  }

  /**
   * Removes every element, from the front, in transactions of up to 256 elements. Not atomic as a
   * whole: elements pushed meanwhile may or may not be removed, and a crash midway leaves a shorter
   * deque (never a damaged one).
   */
  public void clear() {
    while (!poll(BATCH, true).isEmpty()) {
      // next batch
    }
  }

  /**
   * The elements front to back, read in one write transaction: an exact snapshot, holding the
   * directory's write lock for O(n) reads, so meant for small deques and tests.
   */
  public List<E> snapshot() {
    List<byte[]> raw = cache.transact(tx -> {
      long h = read(tx, headKey);
      long t = read(tx, tailKey);
      List<byte[]> out = new ArrayList<>();
      for (long p = h; p < t; p++) {
        byte[] v = tx.get(item(p));
        if (v != null) {
          out.add(v);
        }
      }
      return out;
    });
    List<E> out = new ArrayList<>(raw.size());
    for (byte[] v : raw) {
      out.add(codec.decode(v, 0, v.length));
    }
    return out;
  }

  /**
   * Iterates front to back, weakly consistent: it reads the head and tail once, then the positions
   * between them in batches of 256, each batch one consistent snapshot. It never fails because of
   * concurrent pushes and polls, never returns a position twice, skips elements polled before it
   * reached them, and does not see elements pushed after it started, except an element pushed at
   * the front into a position it had not yet read. Holds no lock between batches. {@link
   * Iterator#remove()} is not supported.
   */
  @Override
  public Iterator<E> iterator() {
    long[] ends = ends();
    return new Iterator<>() {
      private long next = ends[0];
      private final long end = ends[1];
      private final List<byte[]> buffer = new ArrayList<>();
      private int index;

      @Override
      public boolean hasNext() {
        while (index >= buffer.size()) {
          if (next >= end) {
            return false;
          }
          buffer.clear();
          index = 0;
          List<byte[]> keys = new ArrayList<>();
          for (long p = next; p < end && keys.size() < BATCH; p++) {
            keys.add(item(p));
          }
          next += keys.size();
          Map<byte[], byte[]> got = cache.getAll(keys);
          for (byte[] k : keys) {
            byte[] v = got.get(k); // the map is keyed by the very arrays passed in
            if (v != null) {
              buffer.add(v);
            }
          }
        }
        return true;
      }

      @Override
      public E next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        byte[] v = buffer.get(index++);
        return codec.decode(v, 0, v.length);
      }
    };
  }

  /**
   * Closes this handle's cache directory handle. Other handles, in this process or others, stay open.
   * Idempotent.
   */
  @Override
  public void close() {
    cache.close();
  }

  @Override
  public String toString() {
    return "PersistentDeque[" + Layout.describe(prefix) + " in " + cache.directory() + "]";
  }
}
