package dev.larder.internal;

/**
 * The counters kept under the {@code state} key of the {@code meta} database and updated in the
 * same transaction as every write: an array of big-endian longs, indexed by the constants below.
 * A shorter array (written by an older version) reads as zeros past its end.
 */
public final class State {
  /** The last version handed out; versions and store-order keys come from it and never repeat. */
  public static final int SEQ = 0;
  public static final int COUNT = 1;
  public static final int VOLUME = 2;
  public static final int HITS = 3;
  public static final int MISSES = 4;
  public static final int PUTS = 5;
  public static final int DELETES = 6;
  /** Evictions to stay within maxSize. */
  public static final int EVICTIONS = 7;
  public static final int EXPIRATIONS = 8;
  /** Bumped whenever the settings record changes, so writers re-read it only then. */
  public static final int SETTINGS_VERSION = 9;
  /** Entries in the store-order index: one per entry, kept to check that. */
  public static final int ORDER_ENTRIES = 10;
  public static final int EVICTIONS_BY_COUNT = 11;
  public static final int TAG_EVICTIONS = 12;
  public static final int NAMESPACE_EVICTIONS = 13;
  public static final int LOADS = 14;
  /** Entries and bytes in S3-FIFO's small queue. */
  public static final int SMALL_COUNT = 15;
  public static final int SMALL_VOLUME = 16;
  /** Keys in S3-FIFO's ghost queue. */
  public static final int GHOSTS = 17;
  /** Non-zero after the eviction policy changed, until no queue of another policy has entries. */
  public static final int FOREIGN_QUEUES = 18;
  public static final int LENGTH = 19;

  private State() {}

  public static long[] decode(byte[] b) {
    long[] v = new long[LENGTH];
    if (b != null) {
      int n = Math.min(LENGTH, b.length / 8);
      for (int i = 0; i < n; i++) {
        v[i] = Bytes.getLong(b, i * 8);
      }
    }
    return v;
  }

  public static byte[] encode(long[] v) {
    byte[] b = new byte[v.length * 8];
    for (int i = 0; i < v.length; i++) {
      Bytes.putLong(b, i * 8, v[i]);
    }
    return b;
  }
}
