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
 * @param puts entries written (put, add, replace, cas, incr, append, touch)
 * @param deletes entries removed on request (delete, pop, clear)
 * @param evictions entries removed to stay within the size limit
 * @param expirations expired entries removed
 */
public record CacheStats(
    long count,
    long volume,
    long hits,
    long misses,
    long puts,
    long deletes,
    long evictions,
    long expirations) {

  /** Hits over reads, or 1.0 when nothing has been read. */
  public double hitRatio() {
    long reads = hits + misses;
    return reads == 0 ? 1.0 : (double) hits / reads;
  }
}
