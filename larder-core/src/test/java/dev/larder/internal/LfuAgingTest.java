package dev.larder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.EvictionPolicy;
import dev.larder.Larder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * The LFU use field and queue: counts and priorities saturate instead of overflowing, caches in
 * the old LFU format (plain counts in queues 16 to 31) are taken over, and queue positions stay
 * unique after the sequence passes 2^32. The last two edit a closed cache's LMDB file directly.
 */
class LfuAgingTest {
  @TempDir Path dir;

  @Test
  void lfuUsed_hugeCountsAndAges_saturateWithoutOverflow() {
    long a = Policy.lfuUsed(0, 1, 0);
    assertThat(Policy.lfuPriority(a)).isEqualTo(1);
    assertThat(Policy.lfuUses(a)).isEqualTo(1);
    a = Policy.lfuUsed(a, Long.MAX_VALUE, 7);
    assertThat(Policy.lfuUses(a)).isEqualTo(Policy.MAX_USES);
    assertThat(Policy.lfuPriority(a)).isEqualTo(7 + Policy.MAX_USES);
    long top = Policy.lfuUsed(a, Long.MAX_VALUE, Policy.MAX_PRIORITY);
    assertThat(Policy.lfuPriority(top)).isEqualTo(Policy.MAX_PRIORITY);
    assertThat(Policy.lfuUsed(top, Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(top);
    assertThat(Policy.lfuPosition(Policy.lfuPriority(top), Long.MAX_VALUE)).isEqualTo(-1L);
    // Any bit pattern is a valid field (another policy's value, or an old-format count).
    for (long raw : new long[] {-1L, Long.MIN_VALUE, Long.MAX_VALUE, 1000, 0}) {
      long u = Policy.lfuUsed(raw, 1, 5);
      assertThat(Policy.lfuPriority(u)).isBetween(Policy.lfuPriority(raw), Policy.MAX_PRIORITY);
      assertThat(Policy.lfuUses(u)).isBetween(1L, Policy.MAX_USES);
    }
    // An old-format count n reads as priority 0 with n uses (at most 15).
    assertThat(Policy.lfuPriority(1000)).isZero();
    assertThat(Policy.lfuUses(1000)).isEqualTo(Policy.MAX_USES);
    assertThat(Policy.lfuUses(3)).isEqualTo(3);
  }

  @Test
  void lfuUsed_neverLowersThePriority() {
    long a = Policy.lfuUsed(0, 15, 100); // priority 115
    long b = Policy.lfuUsed(a, 1, 3); // an older age
    assertThat(Policy.lfuPriority(b)).isEqualTo(115);
  }

  @Test
  void lfuNextPosition_staysAtTheSamePriority() {
    long p = Policy.lfuPosition(9, 0xFFFF_FFFFL);
    assertThat(Policy.lfuPositionPriority(Policy.lfuNextPosition(p))).isEqualTo(9);
    assertThat(Policy.lfuNextPosition(p)).isEqualTo(Policy.lfuPosition(9, 0));
  }

  @Test
  void oldFormatCache_isTakenOver_andStaysWithinItsLimit() {
    try (Cache<String, byte[]> c = lfu(30)) {
      for (int i = 0; i < 30; i++) {
        c.put("old" + i, new byte[1]);
        for (int j = 0; j < i; j++) {
          c.get("old" + i);
        }
      }
      c.put("old0", new byte[1]); // applies the reads
    }
    int converted = editCounting(this::toOldFormat);
    assertThat(converted).isEqualTo(30);
    assertThat(queueCounts().keySet()).hasSizeGreaterThan(1).allSatisfy(q -> assertThat(Policy.isOldLfu(q)).isTrue());
    try (Cache<String, byte[]> c = lfu(30)) {
      assertThat(c.check(false)).isEmpty();
      assertThat(c.get("old29")).isNotNull();
      for (int i = 0; i < 200; i++) {
        c.put("new" + i, new byte[1]);
        c.get("new" + i);
        assertThat(c.size()).isLessThanOrEqualTo(30);
        assertThat(c.containsKey("new" + i)).isTrue();
      }
      assertThat(c.check(false)).isEmpty();
    }
    assertThat(queueCounts()).containsOnlyKeys(Policy.LFU);
  }

  @Test
  void sequencePast2pow32_placesEntriesAtFreePositions() {
    try (Cache<String, byte[]> c = lfu(1000)) {
      for (int i = 0; i < 20; i++) {
        c.put("k" + i, new byte[1]);
      }
    }
    // Entries 1.. were placed at priority 2 with sequence numbers 2..20; the next placements at
    // priority 2 with sequence numbers 2^32 + 3 on would fall on the same positions.
    edit((e) -> {
      long[] state = State.decode(e.main.get(e.txn, Store.K_STATE));
      state[State.SEQ] = (1L << 32) + 2;
      e.main.put(e.txn, Store.K_STATE, State.encode(state));
    });
    try (Cache<String, byte[]> c = lfu(25)) {
      for (int i = 20; i < 60; i++) {
        c.put("k" + i, new byte[1]);
        assertThat(c.size()).isLessThanOrEqualTo(25);
        assertThat(c.containsKey("k" + i)).isTrue();
      }
      assertThat(c.check(false)).isEmpty();
      assertThat(c.stats().evictionsByCount()).isEqualTo(35);
    }
  }

  private Cache<String, byte[]> lfu(long maxEntries) {
    return Larder.builder(dir).evictionPolicy(EvictionPolicy.LEAST_FREQUENTLY_USED).maxEntries(maxEntries).open();
  }

  /** Rewrites every LFU entry as the old format did: count n in the use field, queue 16 + log2 n. */
  private int toOldFormat(Lmdb e) {
    List<byte[][]> all = new ArrayList<>();
    try (Cursor<byte[]> c = e.entries.openCursor(e.txn)) {
      if (c.first()) {
        do {
          all.add(new byte[][] {c.key(), c.val()});
        } while (c.next());
      }
    }
    for (byte[][] kv : all) {
      Record r = Record.parse(kv[1]);
      assertThat(r.queue()).isEqualTo(Policy.LFU);
      long n = 1 + (r.version() * 37) % 5000; // plain counts, many above 15
      int queue = oldQueue(n);
      e.main.delete(e.txn, OrderIndex.key(r.queue(), r.order()));
      e.main.put(e.txn, OrderIndex.key(queue, r.version()), kv[0]);
      e.entries.put(e.txn, kv[0], Record.withPlace(kv[1], queue, r.version(), n));
    }
    return all.size();
  }

  private static int oldQueue(long n) {
    return 16 + Math.min(15, 63 - Long.numberOfLeadingZeros(Math.max(1, n)));
  }

  private java.util.Map<Integer, Integer> queueCounts() {
    java.util.Map<Integer, Integer> counts = new java.util.TreeMap<>();
    edit(e -> {
      try (Cursor<byte[]> c = e.main.openCursor(e.txn)) {
        if (c.first()) {
          do {
            if (OrderIndex.isOrderKey(c.key())) {
              counts.merge(OrderIndex.queue(c.key()), 1, Integer::sum);
            }
          } while (c.next());
        }
      }
    });
    return counts;
  }

  private record Lmdb(Txn<byte[]> txn, Dbi<byte[]> main, Dbi<byte[]> entries) {}

  private int editCounting(java.util.function.ToIntFunction<Lmdb> work) {
    int[] out = new int[1];
    edit(e -> out[0] = work.applyAsInt(e));
    return out[0];
  }

  private void edit(Consumer<Lmdb> work) {
    try (Env<byte[]> env = Env.create(ArrayProxy.INSTANCE).setMapSize(1L << 30).setMaxDbs(16).open(dir.toFile());
        Txn<byte[]> txn = env.txnWrite()) {
      Dbi<byte[]> main = env.openDbi(txn, null, null, false);
      Dbi<byte[]> entries = env.openDbi(txn, "entries".getBytes(StandardCharsets.US_ASCII), null, false);
      work.accept(new Lmdb(txn, main, entries));
      txn.commit();
    }
  }
}
