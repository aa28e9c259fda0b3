package dev.larder.internal;

import dev.larder.EvictionPolicy;

/**
 * What each eviction policy does with the order index's queues and a record's use field ({@link
 * Record#access()}), in one place.
 *
 * <h2>Queues</h2>
 *
 * <table>
 *   <caption>queue ids in the order index</caption>
 *   <tr><th>queue</th><th>policy</th><th>use field</th></tr>
 *   <tr><td>0</td><td>least recently stored / used</td><td>LRU: the sequence number of the last use</td></tr>
 *   <tr><td>1, 2</td><td>S3-FIFO small and main</td><td>frequency, 0 to 3</td></tr>
 *   <tr><td>3</td><td>S3-FIFO ghost (keys only, no records)</td><td>-</td></tr>
 *   <tr><td>16 to 31</td><td>least frequently used, old format (see below)</td><td>uses n</td></tr>
 *   <tr><td>32</td><td>least frequently used</td><td>priority (high 32 bits), uses (low 32 bits)</td></tr>
 * </table>
 *
 * A queue that does not belong to the current policy (the policy was changed) is emptied first.
 *
 * <h2>Least frequently used, with dynamic aging</h2>
 *
 * LFU with dynamic aging (LFU-DA, [3]): an entry's priority is {@code K = L + F}, where {@code F}
 * is its use count (a store counts as one) and {@code L} is the cache age at its last use;
 * eviction takes the lowest priority, the oldest placement first among equals. Plain LFU counts
 * uses forever, so entries that were popular once are never evicted and new entries, with one
 * use, go first (on the ORM traces in {@code docs/benchmarks/hit-ratio.md} it scored 14.6% where
 * LRU scores 69.8%). The age rises as entries are evicted, so an entry that stops being used is
 * overtaken by entries used since, and goes after about {@code F} generations of the cache.
 *
 * <ul>
 *   <li>The age {@code L} is the priority of the front of queue 32, the lowest placed priority,
 *       found with one seek. LFU-DA takes the priority of the last evicted entry instead, which
 *       would need a counter of its own; in a replay of the benchmark traces in memory the two
 *       differed by at most 0.02 points per row and not at all in the mean (75.87).
 *   <li>{@code F} stops at {@value #MAX_USES}, as TinyLFU's 4-bit counters do [4], so an entry
 *       that stops being used outlives its last use by at most {@value #MAX_USES} generations.
 *       Measured in the same replay, mean over the 16 rows: no cap 75.71, cap 7 75.55, 15 75.87,
 *       31 75.90, 63 75.86, 255 75.75; a Redis-style logarithmic count [5] ({@code K = L +
 *       log2(F) + 1}) 75.26; adding each use to {@code max(K, L)} instead of {@code L + F}
 *       75.00. Exact LRU: 73.86.
 *   <li>Priorities only grow, so the order index can be kept lazily, as for LRU: an entry is
 *       placed at its priority when it is stored or moved, and a use raises the priority in the
 *       record only. When the entry reaches the front with a priority above its position, it is
 *       moved to its priority instead of evicted. A use never moves an index entry, and reads are
 *       applied by the next write ({@link AccessBuffer}), with the age at that time.
 *   <li>Position in queue 32: priority in the high 32 bits, the sequence number of the placement
 *       in the low 32 bits (oldest first among equals, and unique until the sequence passes
 *       2<sup>32</sup>; after that, a taken position is checked for and the next free one used).
 *   <li>Priorities stop at 2<sup>32</sup> - 1. The age grows by about one per generation of the
 *       cache: in the replays it reached 3,618 after 5,000,000 requests with 2,000 entries. At a
 *       saturated priority the policy degrades to first-in first-out, and nothing overflows.
 *   <li>Old format: caches written before aging kept the plain count in the use field and queued
 *       entries by {@code floor(log2(uses))} in queues 16 to 31. Such an entry reads as priority
 *       0 with its count as uses; eviction looks at these queues first and moves each entry it
 *       finds to queue 32 at {@code L + min(F, 15)}, as if it had just been stored with its count.
 * </ul>
 *
 * <h2>References</h2>
 *
 * <ol>
 *   <li>J. Yang, Y. Zhang, Z. Qiu, Y. Yue, K. V. Rashmi. FIFO queues are all you need for cache
 *       eviction. SOSP 2023. (S3-FIFO: small queue of 10%, frequency up to 3, ghost queue as large
 *       as the main queue.)
 *   <li>F. J. Corbató. A paging experiment with the Multics system, 1968. (CLOCK: a second chance
 *       instead of moving on every use; here used to keep LRS and LRU order exact without moving
 *       an index entry on every write or read.)
 *   <li>M. Arlitt, L. Cherkasova, J. Dilley, R. Friedrich, T. Jin. Evaluating content management
 *       techniques for Web proxy caches. ACM SIGMETRICS Performance Evaluation Review 27(4),
 *       2000. (LFU-DA: priority = use count + cache age L; L = priority of the last evicted.)
 *   <li>G. Einziger, R. Friedman, B. Manes. TinyLFU: a highly efficient cache admission policy.
 *       ACM Transactions on Storage 13(4), 2017. (4-bit counters that stop at 15; aging by
 *       halving, which a lazily kept disk index cannot do without a full scan.)
 *   <li>Redis, {@code src/evict.c}: LFU with a logarithmic 8-bit counter and decay by time since
 *       the last access.
 * </ol>
 */
final class Policy {
  static final int RECENCY = 0;
  static final int SMALL = 1;
  static final int MAIN = 2;
  static final int GHOST = 3;
  /** First and last queue of the old LFU format, without aging (only read, to migrate). */
  static final int LFU_OLD_FIRST = 16;
  static final int LFU_OLD_LAST = 31;
  /** The LFU queue, ordered by priority. */
  static final int LFU = 32;
  static final int MAX_FREQUENCY = 3;
  /** The most uses an LFU entry is credited with. */
  static final long MAX_USES = 15;
  /** The highest LFU priority; priorities saturate there. */
  static final long MAX_PRIORITY = 0xFFFF_FFFFL;
  private static final long LOW = 0xFFFF_FFFFL;

  private Policy() {}

  /** Whether reads must be noted for this policy. */
  static boolean tracksReads(EvictionPolicy p) {
    return p == EvictionPolicy.LEAST_RECENTLY_USED || p == EvictionPolicy.LEAST_FREQUENTLY_USED
        || p == EvictionPolicy.S3_FIFO;
  }

  /**
   * The use field of a new entry written with sequence number {@code seq}; {@code age} is the LFU
   * cache age (ignored by the other policies).
   */
  static long initialAccess(EvictionPolicy p, long seq, long age) {
    switch (p) {
      case LEAST_RECENTLY_USED:
        return seq;
      case LEAST_FREQUENTLY_USED:
        return lfuUsed(0, 1, age);
      default:
        return 0;
    }
  }

  /**
   * The use field after {@code uses} more uses (a write counts as one), the last at {@code seq},
   * with LFU cache age {@code age}.
   */
  static long used(EvictionPolicy p, long access, long uses, long seq, long age) {
    switch (p) {
      case LEAST_RECENTLY_USED:
        return seq;
      case LEAST_FREQUENTLY_USED:
        return lfuUsed(access, uses, age);
      case S3_FIFO:
        return Math.min(MAX_FREQUENCY, access + uses);
      default:
        return access;
    }
  }

  /**
   * The LFU use field after {@code uses} (0 or more) uses at age {@code age}: uses F up by {@code
   * uses}, at most {@value #MAX_USES}; priority the larger of the old one and {@code age + F}, at
   * most {@link #MAX_PRIORITY}. Any 64-bit value reads as a valid field (an old-format count n
   * reads as priority 0 and n uses), so the result never decreases the priority nor overflows.
   */
  static long lfuUsed(long access, long uses, long age) {
    long f = Math.min(MAX_USES, lfuUses(access) + Math.max(0, Math.min(uses, MAX_USES)));
    long k = Math.max(lfuPriority(access), Math.min(MAX_PRIORITY, Math.max(0, age) + f));
    return (k << 32) | f;
  }

  /** The priority in an LFU use field. */
  static long lfuPriority(long access) {
    return access >>> 32;
  }

  /** The uses in an LFU use field, at most {@value #MAX_USES}. */
  static long lfuUses(long access) {
    return Math.min(MAX_USES, access & LOW);
  }

  /** The queue-32 position for priority {@code priority} placed with sequence number {@code seq}. */
  static long lfuPosition(long priority, long seq) {
    return (Math.min(MAX_PRIORITY, priority) << 32) | (seq & LOW);
  }

  /** The next position after {@code position} with the same priority (wrapping in the low bits). */
  static long lfuNextPosition(long position) {
    return (position & ~LOW) | ((position + 1) & LOW);
  }

  /** The priority a queue-32 position stands for. */
  static long lfuPositionPriority(long position) {
    return position >>> 32;
  }

  /** Whether {@code queue} is a queue of the old LFU format. */
  static boolean isOldLfu(int queue) {
    return queue >= LFU_OLD_FIRST && queue <= LFU_OLD_LAST;
  }

  /** Whether {@code queue} holds entries of policy {@code p}. */
  static boolean owns(EvictionPolicy p, int queue) {
    switch (p) {
      case S3_FIFO:
        return queue == SMALL || queue == MAIN || queue == GHOST;
      case LEAST_FREQUENTLY_USED:
        return queue == LFU || isOldLfu(queue);
      default:
        return queue == RECENCY;
    }
  }
}
