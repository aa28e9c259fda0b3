package dev.larder.sim;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Caffeine (W-TinyLFU) bounded by entry count, driven through its public API: {@code getIfPresent},
 * then {@code put} on a miss. Not thread-safe (one replay thread).
 *
 * <p>Maintenance runs on the calling thread ({@code executor(Runnable::run)}), and {@code cleanUp()}
 * follows every {@code put} so that the size bound is enforced before the next request, as it is
 * in Larder, where eviction happens inside the write. Without {@code cleanUp()} Caffeine may hold
 * more entries than the bound for a moment, until its write buffer is drained; the rejected
 * alternative would measure that slack rather than the policy.
 */
final class CaffeineModel implements CacheModel {
  private static final Boolean VALUE = Boolean.TRUE;

  private final Cache<Integer, Boolean> cache;
  private final long capacity;
  private long maxSeen;

  CaffeineModel(int capacity) {
    this.capacity = capacity;
    this.cache = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
  }

  @Override
  public boolean request(int key) {
    Integer k = key;
    if (cache.getIfPresent(k) != null) {
      return true;
    }
    cache.put(k, VALUE);
    cache.cleanUp();
    maxSeen = Math.max(maxSeen, cache.estimatedSize());
    return false;
  }

  @Override
  public String verify(long hits, long requests) {
    return maxSeen > capacity ? "held " + maxSeen + " entries, over the bound of " + capacity : null;
  }
}
