package dev.larder;

import dev.larder.stats.CacheStats;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A persistent cache kept in a directory on local disk, shared by every thread and every process
 * that opens the directory. Open one with {@link Larder#builder}.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Thread-safe and process-safe.</b> Each method is atomic with respect to every other
 *       thread and every other process using the same directory: a write is one LMDB write
 *       transaction, and readers see either all of it or none of it. Reads never block writes and
 *       never take a lock that another process holds.
 *   <li><b>Durable per {@link Durability}.</b> A write that returned survives the death of any
 *       process, including {@code kill -9}. With {@link Durability#SYNC} it also survives power
 *       loss.
 *   <li><b>Never wrong bytes.</b> Values carry a CRC32C; a read that meets damaged bytes throws
 *       {@link CorruptionException} instead of returning them.
 * </ul>
 *
 * <p>A missing key reads as {@code null}. Expired entries are invisible at once and removed later
 * by writers or by {@link #expire()}. Keys and values may not be {@code null}.
 *
 * <p>Values at or above the blob threshold (32 KiB by default) are kept in files of their own and
 * can be written from an {@link InputStream} and read through {@link #open} without holding them in
 * the heap.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Cache<K, V> extends AutoCloseable {

  // ---- reads ---------------------------------------------------------------------------------

  /**
   * Returns the value for {@code key}, or {@code null} if there is no live entry.
   *
   * @throws CorruptionException if the stored value fails its checksum
   * @throws SerializationException if the value codec cannot decode the stored bytes
   */
  V get(K key);

  /** Returns the entry for {@code key} with its metadata, or {@code null} if there is none. */
  Entry<K, V> getEntry(K key);

  /**
   * Returns the live entries among {@code keys}, read in one consistent snapshot. Absent keys are
   * left out of the map.
   */
  Map<K, V> getAll(Collection<? extends K> keys);

  /** Whether there is a live entry for {@code key}. Does not count as a hit or a miss. */
  boolean containsKey(K key);

  /**
   * Opens the value for {@code key} for streaming, or returns {@code null} if there is none. The
   * caller must close the result. A large value is read from its file without being loaded into
   * the heap, and stays readable through the handle even if the entry is replaced or deleted
   * meanwhile.
   */
  StoredValue open(K key);

  /**
   * Returns the value for {@code key}, computing it with {@code loader} on a miss and storing it.
   * The loader runs once per key across all threads and processes using the directory: other
   * callers wait for its value. See {@link #get(Object, Load, Function)}.
   */
  V get(K key, Function<? super K, ? extends V> loader);

  /**
   * Returns the value for {@code key}, loading it without stampedes.
   *
   * <ul>
   *   <li>On a miss, {@code loader} runs once per key across every thread and process: one caller
   *       takes the key's lease and loads; the others wait for the value (in this process on the
   *       same future, in others by polling). A load that started before the key was deleted,
   *       written, cleared, or evicted by tag, or before its namespace was invalidated, returns its
   *       value to its callers but does not store it. A crashed loader's lease lapses after {@link
   *       Load#leaseTimeout()}, or at once if its process is gone, and another caller loads.
   *   <li>With {@link Load#refreshAfter()}, a value older than that is returned at once while one
   *       refresh runs in the background; a failed refresh keeps the old value until its TTL.
   *   <li>With a TTL, XFetch recomputes early, once per expiry (see {@link Load#beta()}).
   * </ul>
   *
   * A loader that returns {@code null} stores nothing and this returns {@code null}; an exception
   * from the loader reaches every caller waiting on it in this process.
   *
   * @throws LarderException if interrupted while waiting for another process's load
   */
  V get(K key, Load options, Function<? super K, ? extends V> loader);

  /**
   * Takes the load lease of {@code key} if no other live caller, in this or another process, holds
   * it; see {@link LoadLease}. Fencing covers writes from the moment the lease is taken, so a value
   * computed from data read before then can be stored only if the data source has no invalidation
   * in between that this cache would not see.
   *
   * @param timeout how long the lease holds before another caller may take it over
   * @return the lease, or {@code null} if another holder has it
   */
  LoadLease<K, V> tryLease(K key, Duration timeout);

  // ---- writes --------------------------------------------------------------------------------

  /**
   * Stores {@code value} under {@code key}, replacing any entry, with no expiry and no tags.
   *
   * @throws IllegalArgumentException if the entry alone is larger than the size limit
   * @throws CacheFullException if the policy is {@link EvictionPolicy#NONE} and the cache is full
   * @throws StorageException if the write failed; it then did not take effect
   */
  void put(K key, V value);

  /** Stores {@code value} under {@code key}, expiring after {@code ttl}. See {@link #put(Object, Object)}. */
  void put(K key, V value, Duration ttl);

  /** Stores {@code value} under {@code key} with {@code options}. See {@link #put(Object, Object)}. */
  void put(K key, V value, Put options);

  /**
   * Stores the bytes of {@code in}, read to its end, under {@code key}. A stream of {@code
   * blobThreshold} bytes or more is written to a file as it is read, never held in the heap; the
   * entry is replaced only once the whole stream is stored. The stream is not closed.
   *
   * @return the number of bytes stored
   * @throws IllegalArgumentException if the stream holds more bytes than the size limit
   * @throws StorageException if reading the stream or writing the value failed; the cache is
   *     unchanged
   */
  long putStream(K key, InputStream in, Put options);

  /**
   * Stores {@code value} only if there is no live entry for {@code key}.
   *
   * @return whether the value was stored
   */
  boolean add(K key, V value);

  /** Like {@link #add(Object, Object)}, with options. */
  boolean add(K key, V value, Put options);

  /**
   * Stores {@code value} only if there is a live entry for {@code key}.
   *
   * @return whether the value was stored
   */
  boolean replace(K key, V value);

  /** Like {@link #replace(Object, Object)}, with options. */
  boolean replace(K key, V value, Put options);

  /**
   * Stores {@code value} only if the live entry for {@code key} still has {@code version} (read
   * from {@link Entry#version()}): memcached's {@code gets}/{@code cas}.
   */
  CasResult cas(K key, long version, V value);

  /** Like {@link #cas(Object, long, Object)}, with options. */
  CasResult cas(K key, long version, V value, Put options);

  /**
   * Appends the encoded bytes of {@code suffix} to the live value of {@code key}, keeping its
   * expiry, tags and flags. Meaningful for byte and string values.
   *
   * @return whether there was a live entry to append to
   */
  boolean append(K key, V suffix);

  /** Like {@link #append}, but puts the bytes in front. */
  boolean prepend(K key, V prefix);

  /**
   * Adds {@code delta} to the counter at {@code key} and returns the new value. A missing or
   * expired counter starts from 0 (with no expiry); an existing one keeps its expiry and tags.
   * Counters are stored as decimal text, as memcached stores them, so the CLI, the server and
   * every process share them.
   *
   * @throws SerializationException if the live value is not a decimal 64-bit integer
   * @throws ArithmeticException if the result overflows a {@code long}; nothing changes
   */
  long incr(K key, long delta);

  /** Like {@link #incr}, but leaves a missing counter missing and returns empty. */
  OptionalLong incrIfPresent(K key, long delta);

  /**
   * Subtracts {@code delta} from the counter at {@code key} and returns the new value; like {@link
   * #incr} otherwise ({@code decr(key, Long.MIN_VALUE)} works where the result fits).
   */
  long decr(K key, long delta);

  /**
   * Sets a new time to live on the live entry for {@code key}, counted from now.
   *
   * @return whether there was a live entry
   */
  boolean touch(K key, Duration ttl);

  /**
   * Removes the expiry of the live entry for {@code key}.
   *
   * @return whether there was a live entry
   */
  boolean persist(K key);

  /**
   * Removes the entry for {@code key}.
   *
   * @return whether there was a live entry
   */
  boolean delete(K key);

  /** Removes the entry for {@code key} and returns its value, or {@code null} if there was none. */
  V pop(K key);

  /**
   * Stores all entries in one transaction: other threads and processes see all of them or none.
   * Large values are written to their files before the transaction starts.
   */
  void putAll(Map<? extends K, ? extends V> entries);

  /** Like {@link #putAll(Map)}, with the same options for every entry. */
  void putAll(Map<? extends K, ? extends V> entries, Put options);

  /**
   * Removes the entries for {@code keys} in one transaction.
   *
   * @return the number of live entries removed
   */
  int deleteAll(Collection<? extends K> keys);

  /**
   * Runs {@code work} inside one write transaction and commits it when {@code work} returns, or
   * rolls it back when it throws. Other threads and processes see all of its writes or none; no
   * other write, in any process, runs meanwhile, so keep {@code work} short.
   *
   * <p>Use only the {@link Transaction} inside {@code work}; calling this cache from inside {@code
   * work} throws {@link IllegalStateException}. {@code work} may run more than once if the data
   * file must grow, so it should have no other side effects. Values written inside a transaction
   * are stored inline whatever their size (a file write never happens under the write lock).
   */
  <R> R transact(Function<Transaction<K, V>, R> work);

  // ---- set invalidation --------------------------------------------------------------------

  /**
   * Removes every entry carrying {@code tag} (see {@link Put#withTags}), through an index of tags,
   * in batches of short transactions; entries without the tag are never touched. A crash midway
   * leaves every entry either removed or whole; call again to finish. O(entries with the tag).
   *
   * @return the number of entries removed
   * @throws IllegalArgumentException if the tag is empty or too long
   */
  long evictTag(String tag);

  /**
   * A view of this cache in the namespace {@code name}, whose keys can all be invalidated at once
   * (see {@link Namespace}). Cheap: views are not cached and need not be closed.
   *
   * @throws IllegalArgumentException if the name is empty or longer than 200 bytes of UTF-8
   */
  Namespace<K, V> namespace(String name);

  // ---- the whole cache -----------------------------------------------------------------------

  /**
   * The keys of this cache's key type in ascending order of their encoded bytes, skipping expired
   * entries. The stream reads in batches of short transactions: it is weakly consistent (it never
   * fails because of concurrent writes, and may or may not show them) and need not be closed.
   */
  Stream<K> keys();

  /**
   * Like {@link #keys()}, restricted to keys whose encoding starts with the encoding of {@code
   * prefix}: for string and byte-array keys, the keys that start with {@code prefix}.
   */
  Stream<K> keys(K prefix);

  /**
   * Like {@link #keys(Object)}, starting at the first key whose encoding is at or after the
   * encoding of {@code from} in unsigned byte order: an ordered seek, O(log n) to the first key,
   * for range iteration. A {@code from} before {@code prefix} starts at {@code prefix}; one past
   * every key with the prefix gives an empty stream. Weakly consistent, like {@link #keys()}.
   *
   * <p>The default throws {@link UnsupportedOperationException}; the caches of {@link Larder}
   * implement it.
   *
   * @throws UnsupportedOperationException if this cache cannot seek
   */
  default Stream<K> keys(K prefix, K from) {
    throw new UnsupportedOperationException("keys(prefix, from) is not supported by " + getClass().getName());
  }

  /**
   * The number of entries of every key type, exactly, including expired entries not yet removed
   * (call {@link #expire()} first for a live count). O(1).
   */
  long size();

  /**
   * The bytes the entries take, exactly: keys, record headers, inline values and value files.
   * This is what the size limit bounds. The data file itself is larger (B-tree pages and free
   * space) and never shrinks. O(1).
   */
  long volume();

  /** Removes every entry, and the value files after the commit. The version sequence goes on. */
  void clear();

  /**
   * Removes every expired entry now, in batches of short transactions, walking an index in expiry
   * order (it does not scan the cache).
   *
   * @return the number of entries removed
   */
  long expire();

  /** Counters for this directory, summed over every process, plus this process's unflushed ones. */
  CacheStats stats();

  /**
   * Verifies the whole cache: every record parses, every checksum matches (value files included),
   * the indexes and counters agree with the entries, and no value file is orphaned. With {@code
   * fix}, repairs what it finds: damaged entries are removed, indexes and counters rebuilt, orphaned
   * files deleted. Holds the write lock while it walks the entries and reads value files outside
   * it. O(entries + bytes of value files).
   *
   * @return what was found, empty when the cache is sound
   */
  List<Finding> check(boolean fix);

  /** The cache directory. */
  Path directory();

  /**
   * Closes this handle: flushes this process's counters and, for {@link Durability#PROCESS},
   * flushes the data file to disk. Waits for operations in flight. Other handles to the directory,
   * in this process or others, stay open. Idempotent.
   */
  @Override
  void close();
}
