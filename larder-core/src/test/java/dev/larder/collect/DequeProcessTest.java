package dev.larder.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Larder;
import dev.larder.testkit.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once delivery across processes: child JVM consumers poll one deque while this JVM
 * pushes, and each writes what it got to a side file. An element is delivered when the poll's
 * transaction commits; the side file is the consumer's acknowledgement.
 */
class DequeProcessTest {
  @TempDir Path dir;

  private static List<Long> read(Path side) throws IOException {
    List<Long> out = new ArrayList<>();
    if (!Files.exists(side)) {
      return out;
    }
    for (String line : Files.readAllLines(side, StandardCharsets.US_ASCII)) {
      if (!line.isEmpty()) {
        out.add(Long.parseLong(line));
      }
    }
    return out;
  }

  private static long lineCount(Path side) {
    try {
      if (!Files.exists(side)) {
        return 0;
      }
      long lines = 0;
      for (byte b : Files.readAllBytes(side)) {
        if (b == '\n') {
          lines++;
        }
      }
      return lines;
    } catch (IOException e) {
      return 0;
    }
  }

  @Test
  void fourConsumerProcesses_producerPushing_everyElementDeliveredExactlyOnce() throws Exception {
    int n = 20_000;
    Path data = dir.resolve("data");
    Path done = dir.resolve("done");
    List<ChildJvm> children = new ArrayList<>();
    List<Path> sides = new ArrayList<>();
    try (PersistentDeque<Long> q = PersistentDeque.builder(data, Codec.int64()).name("q").open()) {
      for (int c = 0; c < 4; c++) {
        Path side = dir.resolve("side-" + c);
        sides.add(side);
        children.add(ChildJvm.start(DequeConsumerChild.class, data.toString(), side.toString(), done.toString()));
      }
      for (ChildJvm child : children) {
        child.awaitLine("READY"::equals, Duration.ofMinutes(1));
      }
      // Push while they poll: singles and batches, so pushes and polls interleave.
      List<Long> batch = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        if (i % 2 == 0) {
          q.pushLast(i);
        } else {
          batch.add(i);
          if (batch.size() == 16) {
            q.pushAllLast(batch);
            batch.clear();
          }
        }
      }
      q.pushAllLast(batch);
      Files.createFile(done);
      for (ChildJvm child : children) {
        assertThat(child.waitFor(Duration.ofMinutes(2))).as("exit of %s: %s", child, child.stderr()).isZero();
      }
      Map<Long, Integer> seen = new HashMap<>();
      List<Integer> perConsumer = new ArrayList<>();
      for (Path side : sides) {
        List<Long> got = read(side);
        perConsumer.add(got.size());
        for (Long e : got) {
          seen.merge(e, 1, Integer::sum);
        }
      }
      System.out.println("[deque] per consumer: " + perConsumer);
      assertThat(seen.entrySet()).filteredOn(e -> e.getValue() > 1).as("duplicates").isEmpty();
      assertThat(seen).hasSize(n);
      assertThat(seen.keySet()).allMatch(e -> e >= 0 && e < n);
      assertThat(perConsumer).as("every consumer took part").allMatch(c -> c > 0);
      assertThat(q.size()).isZero();
      assertThat(q.pollFirst()).isNull();
    } finally {
      children.forEach(ChildJvm::close);
    }
    try (Cache<String, byte[]> cache = Larder.builder(data).open()) {
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @Test
  void consumerKilledMidRun_acknowledgedNotRedelivered_atMostItsInFlightElementMissing() throws Exception {
    int n = 12_000;
    Path data = dir.resolve("data");
    Path done = dir.resolve("done");
    Path victimSide = dir.resolve("side-victim");
    Path survivorSide = dir.resolve("side-survivor");
    try (PersistentDeque<Long> q = PersistentDeque.builder(data, Codec.int64()).name("q").open()) {
      List<Long> all = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        all.add(i);
      }
      q.pushAllLast(all);
      // The victim alone, paced (1 ms sleep every 4 polls) so that it is still mid-run when killed.
      ChildJvm victim = ChildJvm.start(DequeConsumerChild.class, data.toString(), victimSide.toString(),
          done.toString(), "4");
      try {
        victim.awaitLine("READY"::equals, Duration.ofMinutes(1));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (lineCount(victimSide) < 300 && victim.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(2);
        }
        victim.kill(); // kill -9: in a poll transaction, between a commit and its side-file write, or asleep
      } finally {
        victim.close();
      }
      assertThat(q.size()).as("the victim was killed before the deque ran dry").isPositive();
      Files.createFile(done);
      try (ChildJvm survivor = ChildJvm.start(DequeConsumerChild.class, data.toString(), survivorSide.toString(),
          done.toString())) {
        assertThat(survivor.waitFor(Duration.ofMinutes(2))).as("survivor: %s", survivor.stderr()).isZero();
      }
      List<Long> acked = read(victimSide);
      List<Long> rest = read(survivorSide);
      assertThat(acked).as("the victim acknowledged some before it died").hasSizeGreaterThanOrEqualTo(300);
      Map<Long, Integer> seen = new HashMap<>();
      for (Long e : acked) {
        seen.merge(e, 1, Integer::sum);
      }
      for (Long e : rest) {
        seen.merge(e, 1, Integer::sum);
      }
      assertThat(seen.entrySet()).filteredOn(e -> e.getValue() > 1).as("redelivered").isEmpty();
      // The only element that may be missing is one the victim's last poll committed before it
      // could write it down: delivered, never acknowledged.
      List<Long> missing = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        if (!seen.containsKey(i)) {
          missing.add(i);
        }
      }
      System.out.println("[deque] victim acked " + acked.size() + ", survivor " + rest.size() + ", missing " + missing);
      assertThat(missing).hasSizeLessThanOrEqualTo(1);
      assertThat(q.size()).isZero();
    }
    try (Cache<String, byte[]> cache = Larder.builder(data).open()) {
      assertThat(cache.check(false)).isEmpty();
    }
  }
}
