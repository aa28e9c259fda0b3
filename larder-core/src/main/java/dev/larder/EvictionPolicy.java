package dev.larder;

/**
 * Which entries make room when a write takes the cache over its size limit ({@code maxSize}) or its
 * entry limit ({@code maxEntries}). Stored in the cache directory: every process that opens the
 * directory uses the same policy.
 *
 * <p>Reads never write under any policy: a process notes what it reads in memory (dropping notes
 * when they pile up faster than they are written) and writes them in batches, in its next write
 * transaction or within a second.
 */
public enum EvictionPolicy {
  /**
   * Never evict. A write that would exceed a limit fails with {@link CacheFullException} and changes
   * nothing; expired entries are still removed.
   */
  NONE,

  /**
   * Evict the entries stored longest ago first (FIFO by store time; a replaced entry counts as newly
   * stored). Reads cost nothing extra.
   */
  LEAST_RECENTLY_STORED,

  /** Evict the entries read or stored longest ago first. */
  LEAST_RECENTLY_USED,

  /**
   * Evict the entry with the lowest priority first, the oldest among equals. An entry's priority is
   * its use count (reads and writes, at most 15) plus the cache's age at its last use (LFU with
   * dynamic aging), so entries that stop being used are evicted in time instead of staying for
   * their past popularity.
   */
  LEAST_FREQUENTLY_USED,

  /**
   * The default: S3-FIFO (Yang et al., SOSP 2023). New entries enter a small FIFO queue (a tenth of
   * the cache); those read again before they reach its end move to the main queue, the rest are
   * evicted and remembered in a ghost queue of keys, so that they go straight to the main queue if
   * they come back. The main queue is a FIFO where an entry that was read gets another round. It
   * resists scans and one-hit wonders, and beat LRU on every trace and size we measured (see
   * {@code docs/benchmarks/hit-ratio.md}).
   */
  S3_FIFO
}
