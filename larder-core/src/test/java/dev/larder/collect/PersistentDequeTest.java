package dev.larder.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Larder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import dev.larder.testkit.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract of {@link PersistentDeque} in one process. */
class PersistentDequeTest {
  @TempDir Path dir;
  private PersistentDeque<String> deque;

  @BeforeEach
  void open() {
    deque = PersistentDeque.builder(dir, Codec.string()).name("q").open();
  }

  @AfterEach
  void checkAndClose() {
    deque.close();
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      assertThat(cache.check(false)).isEmpty();
    }
  }

  private static List<String> list(Iterable<String> it) {
    return StreamSupport.stream(it.spliterator(), false).collect(Collectors.toList());
  }

  @Test
  void poll_emptyDeque_returnsNull() {
    assertThat(deque.pollFirst()).isNull();
    assertThat(deque.pollLast()).isNull();
    assertThat(deque.peekFirst()).isNull();
    assertThat(deque.peekLast()).isNull();
    assertThat(deque.pollFirst(10)).isEmpty();
    assertThat(deque.size()).isZero();
    assertThat(deque.isEmpty()).isTrue();
    assertThat(list(deque)).isEmpty();
    assertThat(deque.snapshot()).isEmpty();
  }

  @Test
  void pushBothEnds_iterationAndPolls_followDequeOrder() {
    deque.pushLast("b");
    deque.pushLast("c");
    deque.pushFirst("a");
    deque.pushFirst("z");
    assertThat(list(deque)).containsExactly("z", "a", "b", "c");
    assertThat(deque.snapshot()).containsExactly("z", "a", "b", "c");
    assertThat(deque.peekFirst()).isEqualTo("z");
    assertThat(deque.peekLast()).isEqualTo("c");
    assertThat(deque.size()).isEqualTo(4);
    assertThat(deque.pollFirst()).isEqualTo("z");
    assertThat(deque.pollLast()).isEqualTo("c");
    assertThat(deque.pollFirst()).isEqualTo("a");
    assertThat(deque.pollFirst()).isEqualTo("b");
    assertThat(deque.pollFirst()).isNull();
    // Ends that crossed zero and came back still work.
    deque.pushFirst("x");
    assertThat(deque.pollLast()).isEqualTo("x");
  }

  @Test
  void pushLast_atMaxLength_dropsTheFirst() {
    deque.close();
    deque = PersistentDeque.builder(dir, Codec.string()).name("q").maxLength(3).open();
    for (String s : List.of("1", "2", "3", "4", "5")) {
      deque.pushLast(s);
    }
    assertThat(deque.snapshot()).containsExactly("3", "4", "5");
    deque.pushFirst("0");
    assertThat(deque.snapshot()).containsExactly("0", "3", "4");
    deque.pushAllLast(List.of("a", "b", "c", "d"));
    assertThat(deque.snapshot()).containsExactly("b", "c", "d");
    assertThat(deque.maxLength()).isEqualTo(3);
  }

  @Test
  void maxLength_reopenedWithout_keepsAndTrimsByTheStoredOne() {
    deque.close();
    deque = PersistentDeque.builder(dir, Codec.string()).name("q").maxLength(2).open();
    deque.close();
    deque = PersistentDeque.builder(dir, Codec.string()).name("q").open();
    deque.pushLast("1");
    deque.pushLast("2");
    deque.pushLast("3");
    assertThat(deque.snapshot()).containsExactly("2", "3");
  }

  @Test
  void push_afterClose_throwsIllegalState() {
    deque.close();
    assertThatThrownBy(() -> deque.pushLast("4")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    deque = PersistentDeque.builder(dir, Codec.string()).name("q").open();
  }

  @Test
  void maxLength_lowered_trimsAtOpen() {
    for (int i = 0; i < 10; i++) {
      deque.pushLast("e" + i);
    }
    deque.close();
    deque = PersistentDeque.builder(dir, Codec.string()).name("q").maxLength(4).open();
    assertThat(deque.snapshot()).containsExactly("e6", "e7", "e8", "e9");
  }

  @Test
  void reopen_afterClose_keepsElementsInOrder() {
    for (int i = 0; i < 600; i++) {
      deque.pushLast("e" + i);
    }
    deque.pushFirst("first");
    deque.close();
    deque = PersistentDeque.builder(dir, Codec.string()).name("q").open();
    List<String> all = list(deque);
    assertThat(all).hasSize(601).startsWith("first", "e0").endsWith("e599");
    assertThat(deque.pollFirst(3)).containsExactly("first", "e0", "e1");
    assertThat(deque.size()).isEqualTo(598);
  }

  @Test
  void twoNames_sameDirectory_doNotMix() {
    try (PersistentDeque<Long> other = PersistentDeque.builder(dir, Codec.int64()).name("q2").open()) {
      other.pushLast(7L);
      deque.pushLast("s");
      assertThat(other.snapshot()).containsExactly(7L);
      assertThat(deque.snapshot()).containsExactly("s");
    }
  }

  @Test
  void clear_manyElements_emptiesAndStaysUsable() {
    List<String> many = LongStream.range(0, 1000).mapToObj(i -> "v" + i).collect(Collectors.toList());
    deque.pushAllLast(many);
    assertThat(deque.size()).isEqualTo(1000);
    deque.clear();
    assertThat(deque.size()).isZero();
    assertThat(deque.pollFirst()).isNull();
    deque.pushLast("after");
    assertThat(deque.snapshot()).containsExactly("after");
  }

  @Test
  void iterator_pollsDuringIteration_skipsPolledAndNeverRepeats() {
    for (int i = 0; i < 1000; i++) {
      deque.pushLast("e" + i);
    }
    var it = deque.iterator();
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      seen.add(it.next());
    }
    deque.pollFirst(500); // e0..e499 gone; the iterator is in its first batch of 256
    deque.pushLast("late");
    it.forEachRemaining(seen::add);
    assertThat(seen).doesNotHaveDuplicates().doesNotContain("late").startsWith("e0").endsWith("e999");
    assertThat(seen).contains("e255").doesNotContain("e256", "e499").contains("e500");
  }

  @Test
  void randomOps_againstArrayDeque_sameResults() {
    long seed = Seeds.seed("PersistentDequeTest.randomOps");
    Random r = new Random(seed);
    ArrayDeque<String> model = new ArrayDeque<>();
    for (int i = 0; i < 2000; i++) {
      int op = r.nextInt(6);
      String v = "v" + r.nextInt(100);
      switch (op) {
        case 0 -> { deque.pushLast(v); model.addLast(v); }
        case 1 -> { deque.pushFirst(v); model.addFirst(v); }
        case 2 -> assertThat(deque.pollFirst()).as("seed %d op %d", seed, i).isEqualTo(model.pollFirst());
        case 3 -> assertThat(deque.pollLast()).as("seed %d op %d", seed, i).isEqualTo(model.pollLast());
        case 4 -> assertThat(deque.peekLast()).as("seed %d op %d", seed, i).isEqualTo(model.peekLast());
        default -> assertThat(deque.size()).as("seed %d op %d", seed, i).isEqualTo(model.size());
      }
    }
    assertThat(list(deque)).containsExactlyElementsOf(model);
  }

  @Test
  void fourThreads_pollConcurrently_eachElementOnce() throws Exception {
    int n = 2000;
    deque.pushAllLast(LongStream.range(0, n).mapToObj(Long::toString).collect(Collectors.toList()));
    ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        String s;
        while ((s = deque.pollFirst()) != null) {
          got.add(s);
        }
      });
      th.start();
      threads.add(th);
    }
    start.countDown();
    for (Thread th : threads) {
      th.join();
    }
    assertThat(got).hasSize(n).doesNotHaveDuplicates();
  }

  @Test
  void builder_badArguments_rejectedWithTheValue() {
    assertThatThrownBy(() -> PersistentDeque.builder(dir, Codec.string()).maxLength(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    assertThatThrownBy(() -> PersistentDeque.builder(dir, Codec.string()).name(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> deque.pushLast(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> deque.pollFirst(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
