package dev.larder.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Larder;
import dev.larder.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PersistentIndex} shared by child JVMs: atomic putIfAbsent and pollFirst, and restart. */
class IndexProcessTest {
  @TempDir Path dir;

  private static List<ChildJvm> run(Path dir, String mode, int n) {
    List<ChildJvm> children = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      children.add(ChildJvm.start(IndexChild.class, dir.toString(), mode, "child" + c, Integer.toString(n)));
    }
    for (ChildJvm child : children) {
      assertThat(child.waitFor(Duration.ofMinutes(2))).as("%s: %s", child, child.stderr()).isZero();
      assertThat(child.lines()).contains("DONE");
    }
    return children;
  }

  @Test
  void twoProcesses_claimSameKeysThenPollAll_eachKeyOnceAndSurvivesRestart() {
    int n = 800;
    Map<Long, String> winners = new HashMap<>();
    List<ChildJvm> claimers = run(dir, "claim", n);
    try {
      for (int c = 0; c < 2; c++) {
        for (String line : claimers.get(c).lines()) {
          if (line.startsWith("WON ")) {
            String prev = winners.put(Long.parseLong(line.substring(4)), "child" + c);
            assertThat(prev).as("key %s claimed twice", line).isNull();
          }
        }
      }
    } finally {
      claimers.forEach(ChildJvm::close);
    }
    assertThat(winners).hasSize(n);
    // Reopened in this JVM after both children exited: the values are the winners'.
    try (PersistentIndex<Long, String> idx =
        PersistentIndex.builder(dir, Codec.int64(), Codec.string()).name("ix").open()) {
      assertThat(idx.size()).isEqualTo(n);
      for (Map.Entry<Long, String> e : winners.entrySet()) {
        assertThat(idx.get(e.getKey())).isEqualTo(e.getValue());
      }
      assertThat(idx.first().getKey()).isZero();
      assertThat(idx.last().getKey()).isEqualTo(n - 1L);
    }
    Map<Long, Integer> polled = new HashMap<>();
    List<ChildJvm> pollers = run(dir, "poll", 0);
    try {
      for (ChildJvm child : pollers) {
        long previous = -1;
        for (String line : child.lines()) {
          if (line.startsWith("GOT ")) {
            long k = Long.parseLong(line.substring(4));
            assertThat(k).as("each process polls in ascending order").isGreaterThan(previous);
            previous = k;
            polled.merge(k, 1, Integer::sum);
          }
        }
      }
    } finally {
      pollers.forEach(ChildJvm::close);
    }
    assertThat(polled).hasSize(n).allSatisfy((k, count) -> assertThat(count).as("key %d", k).isEqualTo(1));
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      assertThat(cache.check(false)).isEmpty();
    }
  }
}
