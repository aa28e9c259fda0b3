package dev.larder;

/**
 * A view of a cache whose keys live under a namespace's current generation, for invalidating a
 * whole class of keys at once: {@code cache.namespace("cart:13")}. Keys of different namespaces,
 * and of the cache itself, never collide.
 *
 * <p>{@link #invalidate()} is one small write, whatever the number of keys: it starts a new
 * generation, and every key of the old one is unreachable to every thread and process from the
 * moment it commits (the generation is read in the same transaction as each operation).
 * Generations are never reused, also after reopening. The old generation's entries still count
 * toward the size limits until they are reclaimed: in the background right after the invalidation,
 * and by eviction.
 *
 * <p>Everything else behaves as on the cache, with these differences: {@link #clear()} is {@link
 * #invalidate()}; {@link #size()} and {@link #volume()} walk the namespace's entries (O(n));
 * {@link #stats()}, {@link #expire()} and {@link #check(boolean)} act on the whole directory;
 * {@link #close()} does nothing (close the cache itself). Thread-safe and process-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Namespace<K, V> extends Cache<K, V> {

  /** The namespace's name. */
  String name();

  /** The current generation: a number that changes with every {@link #invalidate()}, and never repeats. */
  long generation();

  /**
   * Makes every key of this namespace unreachable, in one write, O(1).
   *
   * @throws StorageException if the write failed; nothing changed then
   */
  void invalidate();
}
