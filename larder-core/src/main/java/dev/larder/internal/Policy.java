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
 *   <tr><td>16 + floor(log2(n))</td><td>least frequently used</td><td>uses n</td></tr>
 * </table>
 *
 * A queue that does not belong to the current policy (the policy was changed) is emptied first.
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
 * </ol>
 */
final class Policy {
  static final int RECENCY = 0;
  static final int SMALL = 1;
  static final int MAIN = 2;
  static final int GHOST = 3;
  static final int LFU_BASE = 16;
  static final int MAX_FREQUENCY = 3;

  private Policy() {}

  /** Whether reads must be noted for this policy. */
  static boolean tracksReads(EvictionPolicy p) {
    return p == EvictionPolicy.LEAST_RECENTLY_USED || p == EvictionPolicy.LEAST_FREQUENTLY_USED
        || p == EvictionPolicy.S3_FIFO;
  }

  /** The use field of a new entry written with sequence number {@code seq}. */
  static long initialAccess(EvictionPolicy p, long seq) {
    switch (p) {
      case LEAST_RECENTLY_USED:
        return seq;
      case LEAST_FREQUENTLY_USED:
        return 1;
      default:
        return 0;
    }
  }

  /** The use field after {@code uses} more uses (a write counts as one), the last at {@code seq}. */
  static long used(EvictionPolicy p, long access, long uses, long seq) {
    switch (p) {
      case LEAST_RECENTLY_USED:
        return seq;
      case LEAST_FREQUENTLY_USED:
        return access + uses < 0 ? Long.MAX_VALUE : access + uses;
      case S3_FIFO:
        return Math.min(MAX_FREQUENCY, access + uses);
      default:
        return access;
    }
  }

  /** The LFU queue for a use count. */
  static int lfuQueue(long uses) {
    return LFU_BASE + Math.min(15, 63 - Long.numberOfLeadingZeros(Math.max(1, uses)));
  }

  /** Whether {@code queue} holds entries of policy {@code p}. */
  static boolean owns(EvictionPolicy p, int queue) {
    switch (p) {
      case S3_FIFO:
        return queue == SMALL || queue == MAIN || queue == GHOST;
      case LEAST_FREQUENTLY_USED:
        return queue >= LFU_BASE && queue < LFU_BASE + 16;
      default:
        return queue == RECENCY;
    }
  }
}
