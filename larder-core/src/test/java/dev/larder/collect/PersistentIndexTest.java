package dev.larder.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Larder;
import dev.larder.collect.PersistentIndex.Order;
import dev.larder.testkit.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract of {@link PersistentIndex} in one process, in both orders. */
class PersistentIndexTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  private PersistentIndex<Long, String> longs(Order order) {
    PersistentIndex<Long, String> idx = PersistentIndex.builder(dir, Codec.int64(), Codec.string())
        .name("ix").order(order).open();
    open.add(idx);
    return idx;
  }

  private PersistentIndex<String, String> strings(String name) {
    PersistentIndex<String, String> idx = PersistentIndex.builder(dir, Codec.string(), Codec.string()).name(name).open();
    open.add(idx);
    return idx;
  }

  @AfterEach
  void checkAndClose() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      assertThat(cache.check(false)).isEmpty();
    }
  }

  private static <K, V> List<K> keysOf(java.util.stream.Stream<Map.Entry<K, V>> s) {
    return s.map(Map.Entry::getKey).collect(Collectors.toList());
  }

  @Test
  void emptyIndex_readsAndPolls_returnNullAndEmpty() {
    PersistentIndex<Long, String> idx = longs(Order.KEY);
    assertThat(idx.first()).isNull();
    assertThat(idx.last()).isNull();
    assertThat(idx.pollFirst()).isNull();
    assertThat(idx.pollLast()).isNull();
    assertThat(idx.get(1L)).isNull();
    assertThat(idx.remove(1L)).isNull();
    assertThat(idx.size()).isZero();
    assertThat(idx.entries()).isEmpty();
    assertThat(idx.range(0L, 10L)).isEmpty();
  }

  @Test
  void keyOrder_numericKeysIncludingNegative_iterateInNumericOrder() {
    PersistentIndex<Long, String> idx = longs(Order.KEY);
    for (long k : new long[] {5, -3, 1000, 0, Long.MIN_VALUE, Long.MAX_VALUE, 7}) {
      assertThat(idx.put(k, "v" + k)).isNull();
    }
    List<Long> expected = List.of(Long.MIN_VALUE, -3L, 0L, 5L, 7L, 1000L, Long.MAX_VALUE);
    assertThat(idx.keys()).containsExactlyElementsOf(expected);
    assertThat(keysOf(idx.entries())).containsExactlyElementsOf(expected);
    List<Long> reversed = new ArrayList<>(expected);
    java.util.Collections.reverse(reversed);
    assertThat(keysOf(idx.descendingEntries())).containsExactlyElementsOf(reversed);
    assertThat(idx.first()).isEqualTo(Map.entry(Long.MIN_VALUE, "v" + Long.MIN_VALUE));
    assertThat(idx.last()).isEqualTo(Map.entry(Long.MAX_VALUE, "v" + Long.MAX_VALUE));
    assertThat(keysOf(idx.range(0L, 7L))).containsExactly(0L, 5L);
    assertThat(keysOf(idx.range(-2L, null))).containsExactly(0L, 5L, 7L, 1000L, Long.MAX_VALUE);
    assertThat(keysOf(idx.range(null, -3L))).containsExactly(Long.MIN_VALUE);
    assertThat(keysOf(idx.range(8L, 9L))).isEmpty();
    assertThat(idx.pollFirst()).isEqualTo(Map.entry(Long.MIN_VALUE, "v" + Long.MIN_VALUE));
    assertThat(idx.pollLast()).isEqualTo(Map.entry(Long.MAX_VALUE, "v" + Long.MAX_VALUE));
    assertThat(idx.size()).isEqualTo(5);
  }

  @Test
  void keyOrder_stringsWithZeroBytesAndPrefixes_descendingIsExactReverse() {
    PersistentIndex<String, String> idx = strings("s");
    List<String> ks = List.of("", "a", "a\0", "a\0\0", "a\1", "ab", "abc", "b", "\u00e9", "z".repeat(700),
        "z".repeat(700) + "a");
    for (String k : ks) {
      idx.put(k, k.isEmpty() ? "empty" : k.substring(0, 1));
    }
    List<String> asc = keysOf(idx.entries());
    List<String> sortedByBytes = new ArrayList<>(ks);
    sortedByBytes.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        y.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(asc).containsExactlyElementsOf(sortedByBytes);
    List<String> desc = keysOf(idx.descendingEntries());
    java.util.Collections.reverse(desc);
    assertThat(desc).containsExactlyElementsOf(sortedByBytes);
    assertThat(idx.last().getKey()).isEqualTo("\u00e9"); // UTF-8 C3 A9 sorts after "z"
    assertThat(idx.pollLast().getKey()).isEqualTo("\u00e9");
    assertThat(idx.last().getKey()).isEqualTo("z".repeat(700) + "a");
    assertThat(keysOf(idx.range("a\0", "ab"))).containsExactly("a\0", "a\0\0", "a\1");
  }

  @Test
  void escape_roundTripsAndPreservesOrder() {
    long seed = Seeds.seed("PersistentIndexTest.escape");
    Random r = new Random(seed);
    for (int i = 0; i < 2000; i++) {
      byte[] a = new byte[r.nextInt(5)];
      byte[] b = new byte[r.nextInt(5)];
      for (int j = 0; j < a.length; j++) {
        a[j] = (byte) (r.nextInt(3) - 1);
      }
      for (int j = 0; j < b.length; j++) {
        b[j] = (byte) (r.nextInt(3) - 1);
      }
      assertThat(PersistentIndex.unescape(PersistentIndex.escape(a), 0)).as("seed %d", seed).isEqualTo(a);
      int plain = Integer.signum(Arrays.compareUnsigned(a, b));
      int escaped = Integer.signum(Arrays.compareUnsigned(PersistentIndex.escape(a), PersistentIndex.escape(b)));
      int reversed = Integer.signum(Arrays.compareUnsigned(PersistentIndex.complement(PersistentIndex.escape(a)),
          PersistentIndex.complement(PersistentIndex.escape(b))));
      assertThat(escaped).as("seed %d: %s vs %s", seed, Arrays.toString(a), Arrays.toString(b)).isEqualTo(plain);
      assertThat(reversed).as("seed %d: %s vs %s", seed, Arrays.toString(a), Arrays.toString(b)).isEqualTo(-plain);
    }
  }

  @Test
  void insertionOrder_replacingKeepsPlace_removingAndReAddingMovesToEnd() {
    PersistentIndex<Long, String> idx = longs(Order.INSERTION);
    idx.put(30L, "a");
    idx.put(10L, "b");
    idx.put(20L, "c");
    assertThat(idx.put(30L, "a2")).isEqualTo("a");
    assertThat(idx.keys()).containsExactly(30L, 10L, 20L);
    idx.remove(10L);
    idx.put(10L, "b2");
    assertThat(keysOf(idx.entries())).containsExactly(30L, 20L, 10L);
    assertThat(keysOf(idx.descendingEntries())).containsExactly(10L, 20L, 30L);
    assertThat(idx.first()).isEqualTo(Map.entry(30L, "a2"));
    assertThat(idx.pollLast()).isEqualTo(Map.entry(10L, "b2"));
    assertThat(idx.pollFirst()).isEqualTo(Map.entry(30L, "a2"));
    assertThat(idx.size()).isEqualTo(1);
    assertThatThrownBy(() -> idx.range(1L, 2L)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void reopen_withOtherOrder_isAClearError_withoutOrder_keepsIt() {
    longs(Order.INSERTION).put(1L, "x");
    assertThatThrownBy(() -> longs(Order.KEY)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("INSERTION").hasMessageContaining("KEY");
    PersistentIndex<Long, String> again = PersistentIndex.builder(dir, Codec.int64(), Codec.string()).name("ix").open();
    open.add(again);
    assertThat(again.order()).isEqualTo(Order.INSERTION);
  }

  @Test
  void restart_closeAndReopen_keepsEntriesOrderAndSize() {
    PersistentIndex<Long, String> idx = longs(Order.KEY);
    for (long k = 0; k < 1000; k++) {
      idx.put((k * 7919) % 1000, "v" + k);
    }
    idx.remove(500L);
    idx.close();
    open.clear();
    PersistentIndex<Long, String> again = longs(Order.KEY);
    assertThat(again.size()).isEqualTo(999);
    List<Long> ks = again.keys().collect(Collectors.toList());
    assertThat(ks).hasSize(999).isSorted().doesNotContain(500L);
    assertThat(again.first().getKey()).isZero();
    assertThat(again.last().getKey()).isEqualTo(999L);
    assertThat(keysOf(again.range(498L, 503L))).containsExactly(498L, 499L, 501L, 502L);
  }

  @Test
  void putIfAbsent_present_keepsTheOldValue() {
    PersistentIndex<String, String> idx = strings("p");
    assertThat(idx.putIfAbsent("k", "first")).isNull();
    assertThat(idx.putIfAbsent("k", "second")).isEqualTo("first");
    assertThat(idx.get("k")).isEqualTo("first");
    assertThat(idx.size()).isEqualTo(1);
  }

  @Test
  void clear_manyEntries_emptiesAndCountsZero() {
    PersistentIndex<Long, String> idx = longs(Order.INSERTION);
    for (long k = 0; k < 700; k++) {
      idx.put(k, "v");
    }
    idx.clear();
    assertThat(idx.size()).isZero();
    assertThat(idx.entries()).isEmpty();
    assertThat(idx.last()).isNull();
    idx.put(1L, "again");
    assertThat(idx.keys()).containsExactly(1L);
  }

  @Test
  void randomOps_againstTreeMap_sameResults() {
    long seed = Seeds.seed("PersistentIndexTest.randomOps");
    Random r = new Random(seed);
    PersistentIndex<Long, String> idx = longs(Order.KEY);
    TreeMap<Long, String> model = new TreeMap<>();
    for (int i = 0; i < 1500; i++) {
      long k = r.nextInt(200) - 100;
      String v = "v" + r.nextInt(1000);
      String as = "seed " + seed + " op " + i;
      switch (r.nextInt(7)) {
        case 0, 1 -> assertThat(idx.put(k, v)).as(as).isEqualTo(model.put(k, v));
        case 2 -> assertThat(idx.remove(k)).as(as).isEqualTo(model.remove(k));
        case 3 -> assertThat(idx.putIfAbsent(k, v)).as(as).isEqualTo(model.putIfAbsent(k, v));
        case 4 -> assertThat(idx.pollFirst()).as(as).isEqualTo(entry(model.pollFirstEntry()));
        case 5 -> assertThat(idx.pollLast()).as(as).isEqualTo(entry(model.pollLastEntry()));
        default -> {
          long lo = k;
          long hi = k + r.nextInt(50);
          assertThat(keysOf(idx.range(lo, hi))).as(as).containsExactlyElementsOf(model.subMap(lo, hi).keySet());
        }
      }
      assertThat(idx.size()).as(as).isEqualTo(model.size());
    }
    assertThat(keysOf(idx.entries())).containsExactlyElementsOf(model.keySet());
  }

  private static Map.Entry<Long, String> entry(Map.Entry<Long, String> e) {
    return e == null ? null : Map.entry(e.getKey(), e.getValue());
  }

  @Test
  void fourThreads_pollFirstWhilePutting_eachEntryOnceAndInOrderPerThread() throws Exception {
    PersistentIndex<Long, String> idx = longs(Order.KEY);
    for (long k = 0; k < 1000; k++) {
      idx.put(k, "v");
    }
    ConcurrentLinkedQueue<Long> got = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    List<List<Long>> perThread = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<Long> mine = new ArrayList<>();
      perThread.add(mine);
      Thread th = new Thread(() -> {
        Map.Entry<Long, String> e;
        while ((e = idx.pollFirst()) != null) {
          got.add(e.getKey());
          mine.add(e.getKey());
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(got).hasSize(1000).doesNotHaveDuplicates();
    for (List<Long> mine : perThread) {
      assertThat(mine).isSorted(); // each poll took the first key at its commit
    }
    assertThat(idx.size()).isZero();
  }
}
