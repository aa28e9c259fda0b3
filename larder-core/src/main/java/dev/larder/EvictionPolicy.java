package dev.larder;

/**
 * Which entries make room when a write takes the cache over its size limit. Stored in the cache
 * directory: every process that opens the directory uses the same policy.
 */
public enum EvictionPolicy {
  /**
   * Never evict. A write that would exceed the size limit fails with {@link CacheFullException} and
   * changes nothing; expired entries are still removed.
   */
  NONE,

  /**
   * Evict the entries stored longest ago first (FIFO by store time; a replaced entry counts as newly
   * stored). Reads cost nothing extra.
   */
  LEAST_RECENTLY_STORED
}
