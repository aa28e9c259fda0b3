package dev.larder.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reads of this process, noted in memory for the eviction policy and written in batches: reads
 * never open a write transaction (DESIGN.md section 4; the idea of Caffeine's read buffer carried
 * to disk).
 *
 * <p>Each key keeps a count of reads and the tick of its last one, so that a batch is applied in
 * the order of last use (LRU stays exact within a process). The buffer is lossy: past {@value
 * #CAPACITY} distinct keys, reads are dropped until the next write drains it, which costs a little
 * accuracy and never blocks a reader. Thread-safe.
 */
final class AccessBuffer {
  static final int CAPACITY = 16_384;

  /** A key's reads since the last drain. */
  record Use(byte[] stored, long count, long lastTick) {}

  private static final class Key {
    final byte[] bytes;
    final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static final class Counter {
    long count;
    long lastTick;
  }

  private final ConcurrentHashMap<Key, Counter> uses = new ConcurrentHashMap<>();
  private final AtomicLong ticks = new AtomicLong();

  /**
   * Set when the buffer reached {@link #CAPACITY}, cleared by {@link #drain}. While it is set a read
   * notes nothing, not even a repeat of a key already in the buffer: a read-heavy process fills the
   * buffer in milliseconds and then waits up to a second for the maintenance drain, and looking each
   * read up in a full map cost about a fifth of a get (JFR, 100,000 keys read at random). Decision:
   * drop those notes rather than drain more often, which would turn reads into writes.
   */
  private volatile boolean full;

  /** Notes a read of the entry stored under {@code stored}. */
  void note(byte[] stored) {
    if (full) {
      return;
    }
    long tick = ticks.incrementAndGet();
    Key k = new Key(stored);
    Counter c = uses.get(k);
    if (c == null) {
      if (uses.size() >= CAPACITY) {
        full = true;
        return;
      }
      c = uses.computeIfAbsent(k, x -> new Counter());
    }
    synchronized (c) {
      c.count++;
      c.lastTick = Math.max(c.lastTick, tick);
    }
  }

  boolean isEmpty() {
    return uses.isEmpty();
  }

  /** Takes every noted use, ordered by last use. */
  List<Use> drain() {
    full = false;
    List<Use> out = new ArrayList<>(uses.size());
    for (Key k : uses.keySet()) {
      Counter c = uses.remove(k);
      if (c != null) {
        synchronized (c) {
          out.add(new Use(k.bytes, c.count, c.lastTick));
        }
      }
    }
    out.sort((a, b) -> Long.compare(a.lastTick(), b.lastTick()));
    return out;
  }
}
