package dev.larder.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Compaction;
import dev.larder.Larder;
import dev.larder.testkit.ChildJvm;
import dev.larder.testkit.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Larder#compact}: gives free pages back, keeps every entry, refuses while any process has
 * the cache open, and survives {@code kill -9} in the middle.
 */
class CompactTest {
  private static final int KEPT = 200;
  private static final int FILLED = 12_000;

  @TempDir Path dir;

  /** Writes FILLED values of 1 to 3 KiB and deletes all but every 60th. */
  private void fillAndThin(Random r) {
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      for (int i = 0; i < FILLED; i++) {
        String key = "k" + i;
        cache.put(key, Values.make(key, r, 1024 + r.nextInt(2048)));
      }
      for (int i = 0; i < FILLED; i++) {
        if (i % (FILLED / KEPT) != 0) {
          cache.delete("k" + i);
        }
      }
      cache.incr("counter", 42);
      assertThat(cache.size()).isEqualTo(KEPT + 1);
    }
  }

  private void assertKept() {
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      assertThat(cache.size()).isEqualTo(KEPT + 1);
      for (int i = 0; i < FILLED; i += FILLED / KEPT) {
        assertThat(Values.verify("k" + i, cache.get("k" + i))).as("k" + i).isNull();
      }
      assertThat(cache.incr("counter", 0)).isEqualTo(42);
      assertThat(cache.check(false)).isEmpty();
      cache.put("after", new byte[] {1});
      assertThat(cache.get("after")).containsExactly(1);
      assertThat(cache.delete("after")).isTrue();
    }
  }

  @Test
  void compact_afterDeletes_shrinksTheFileAndKeepsEveryEntry() {
    long seed = Seeds.seed("CompactTest.shrinks");
    fillAndThin(new Random(seed));
    Compaction c = Larder.compact(dir);
    // About 24 MB were written and 0.4 MB kept.
    assertThat(c.bytesBefore()).as("seed %d", seed).isGreaterThan(20L << 20);
    assertThat(c.bytesAfter()).isLessThan(c.bytesBefore() / 8);
    assertThat(c.bytesFreed()).isEqualTo(c.bytesBefore() - c.bytesAfter());
    assertKept();
  }

  @Test
  void compact_whileOpenInThisProcess_isRefused() {
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      cache.put("a", new byte[] {1});
      assertThatThrownBy(() -> Larder.compact(dir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("open in this process");
      assertThat(cache.get("a")).containsExactly(1);
    }
  }

  @Test
  void compact_whileOpenInAnotherProcess_isRefusedAndChangesNothing() throws Exception {
    fillAndThin(new Random(Seeds.seed("CompactTest.openElsewhere")));
    Path marker = dir.resolveSibling(dir.getFileName() + ".release");
    try (ChildJvm child = ChildJvm.start(CompactChild.class, "hold", dir.toString(), marker.toString())) {
      child.awaitLine(l -> l.startsWith("OPEN"), Duration.ofSeconds(60));
      assertThatThrownBy(() -> Larder.compact(dir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("open in another process");
      Files.createFile(marker);
      assertThat(child.waitFor(Duration.ofSeconds(60))).as(child.stderr()).isZero();
    }
    assertKept();
    assertThat(Larder.compact(dir).bytesFreed()).isPositive();
    assertKept();
  }

  @Test
  void compact_notACache_isRefused() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "hello");
    assertThatThrownBy(() -> Larder.compact(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no data.mdb");
    assertThat(dir.resolve("data.mdb")).doesNotExist();
  }

  @Test
  void compact_killedMidway_leavesAWholeCache() {
    long seed = Seeds.seed("CompactTest.killed");
    Random r = new Random(seed);
    fillAndThin(r);
    for (int round = 0; round < 4; round++) {
      try (ChildJvm child = ChildJvm.start(CompactChild.class, "compact", dir.toString())) {
        child.awaitLine("COMPACTING"::equals, Duration.ofSeconds(60));
        sleep(r.nextInt(120));
        child.kill();
      }
      assertKept(); // the old file or the new one, whole; and reopening works
    }
    assertThat(Larder.compact(dir).bytesAfter()).as("seed %d", seed).isLessThan(4L << 20);
    assertThat(dir.resolve("tmp")).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(),
        p -> assertThat(Files.list(p).filter(f -> f.getFileName().toString().startsWith("compact-"))).isEmpty());
    assertKept();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
