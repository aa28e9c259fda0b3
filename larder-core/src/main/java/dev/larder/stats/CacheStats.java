package dev.larder.stats;

/**
 * A snapshot of a cache directory's counters, summed over every process that has used it. Hits and
 * misses are counted in memory by each process and flushed to the directory about once a second
 * and on close, so another process's most recent reads may not be included yet.
 *
 * @param count entries, including expired ones not yet removed
 * @param volume bytes the entries take (see {@code Cache.volume()})
 * @param hits reads that found a live entry
 * @param misses reads that found none
 * @param puts entries written (put, add, replace, cas, incr, append)
 * @param deletes entries removed on request (delete, pop, deleteAll, clear)
 * @param evictionsBySize entries evicted to stay within {@code maxSize}
 * @param evictionsByCount entries evicted to stay within {@code maxEntries}
 * @param expirations expired entries removed
 * @param tagEvictions entries removed by {@code evictTag}
 * @param namespaceEvictions entries of invalidated namespace generations reclaimed
 * @param loads values computed by a loader
 */
public record CacheStats(
    long count,
    long volume,
    long hits,
    long misses,
    long puts,
    long deletes,
    long evictionsBySize,
    long evictionsByCount,
    long expirations,
    long tagEvictions,
    long namespaceEvictions,
    long loads) {

  /** Hits over reads, or 1.0 when nothing has been read. */
  public double hitRatio() {
    long reads = hits + misses;
    return reads == 0 ? 1.0 : (double) hits / reads;
  }

  /** Entries evicted to stay within either limit. */
  public long evictions() {
    return evictionsBySize + evictionsByCount;
  }
}
