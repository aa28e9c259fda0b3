package dev.larder.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Finding;
import dev.larder.Larder;
import dev.larder.testkit.ChildJvm;
import dev.larder.testkit.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with {@code kill -9} at random moments, again and again on the same
 * directory, and then checks that every acknowledged write is there and whole, that the one write
 * in flight at each kill is either wholly there or wholly absent (a {@code putAll} included), and
 * that {@code check()} finds no damage.
 *
 * <p>The number of kills is {@code -Dlarder.test.crashes} (20 by default, 100 with {@code -Pstress}).
 */
class CrashTest {
  @TempDir Path dir;

  /** What the parent knows of a key: the last acknowledged operation, and one that may be in flight. */
  private static final class Expect {
    Long acked; // value number, or null for absent
    boolean ackedDeleted;
    Long inFlight;
    boolean inFlightDelete;
    boolean hasInFlight;
  }

  @Test
  void killNine_atRandomMoments_losesNoAcknowledgedWrite() throws IOException {
    long seed = Seeds.seed("CrashTest");
    Random random = new Random(seed);
    int crashes = Integer.getInteger("larder.test.crashes", 20);
    Map<String, Expect> model = new HashMap<>();
    List<String> log = new ArrayList<>();
    long next = 0;
    int acked = 0;
    for (int crash = 0; crash < crashes; crash++) {
      try (ChildJvm child = ChildJvm.start(CrashChild.class, dir.toString(), Long.toString(next),
          Long.toString(random.nextLong()))) {
        child.awaitLine("READY"::equals, Duration.ofSeconds(60));
        int wanted = 5 + random.nextInt(400);
        long target = next + wanted;
        child.awaitLine(l -> l.startsWith("ACK ") && Long.parseLong(l.substring(4)) >= target, Duration.ofSeconds(60));
        sleepMillis(random.nextInt(30));
        child.kill();
        // Model: apply every ACKed BEGIN; the last BEGIN without an ACK may or may not have happened.
        List<String> lines = child.lines();
        log.add("RUN " + crash + " from " + next);
        log.addAll(lines);
        String pending = null;
        for (String line : lines) {
          if (line.startsWith("BEGIN ")) {
            pending = line;
          } else if (line.startsWith("ACK ")) {
            apply(model, pending, false);
            acked++;
            next = Math.max(next, Long.parseLong(line.substring(4)));
            pending = null;
          }
        }
        if (pending != null) {
          apply(model, pending, true);
          next = Math.max(next, Long.parseLong(pending.split(" ")[2]));
        }
      }
    }
    assertThat(acked).isGreaterThan(crashes * 5);
    // Every operation number is begun once: a repeat would mean output lost at a kill.
    Set<String> begun = new HashSet<>();
    for (int i = 0; i < log.size(); i++) {
      String line = log.get(i);
      if (line.startsWith("BEGIN ") && !begun.add(line.split(" ")[2])) {
        throw new AssertionError("op " + line + " twice; log before: " + log.subList(Math.max(0, i - 5), i)
            + " " + log.stream().filter(l -> l.startsWith("RUN") || l.contains(" " + line.split(" ")[2] + " ")).toList());
      }
    }
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      Map<String, Boolean> batchOutcome = new HashMap<>();
      for (Map.Entry<String, Expect> e : model.entrySet()) {
        String key = e.getKey();
        Expect x = e.getValue();
        byte[] v = cache.get(key);
        boolean matchesAcked = x.ackedDeleted || x.acked == null ? v == null
            : v != null && Values.same(v, Values.numbered(key, x.acked));
        boolean matchesInFlight = x.hasInFlight && (x.inFlightDelete ? v == null
            : v != null && Values.same(v, Values.numbered(key, x.inFlight)));
        if (!(matchesAcked || matchesInFlight)) {
          long which = -1;
          for (long m = 0; v != null && m <= next; m++) {
            if (Values.same(v, Values.numbered(key, m))) {
              which = m;
            }
          }
          List<String> history = new ArrayList<>();
          for (String line : log) {
            if (line.contains(" " + key + ",") || line.endsWith(" " + key) || line.contains("," + key)) {
              history.add(line);
            }
          }
          List<String> around = new ArrayList<>();
          for (int i = 0; i < log.size(); i++) {
            String line = log.get(i);
            if (line.startsWith("RUN") || line.startsWith("BEGIN put " + which + " ") || line.equals("ACK " + which)) {
              around.add(i + ":" + line);
            }
          }
          throw new AssertionError("ops " + around + "\nkey " + key + ": acked " + x.acked + " (deleted " + x.ackedDeleted + "), in flight "
              + (x.hasInFlight ? x.inFlight : "none") + ", found " + (v == null ? "nothing" : "value number " + which)
              + "; history " + history);
        }
        if (key.startsWith("b") && x.hasInFlight && x.acked == null) {
          // A putAll in flight: all of its keys or none.
          String batch = key.substring(0, key.indexOf('.'));
          Boolean before = batchOutcome.putIfAbsent(batch, v != null);
          assertThat(before == null || before == (v != null)).as("putAll %s applied partly", batch).isTrue();
        }
      }
      List<Finding> findings = cache.check(false);
      // A kill can leave a value file renamed into place but not committed, or dropped but not yet
      // deleted, and temporary files: leftovers, not damage. Nothing else may show.
      assertThat(findings).allMatch(f -> f.kind() == Finding.Kind.ORPHAN_FILE || f.kind() == Finding.Kind.STALE_TEMP_FILE,
          "only crash leftovers");
      cache.check(true);
      assertThat(cache.check(false)).isEmpty();
      assertThat(fileCount(dir.resolve("blobs"))).isEqualTo(countBlobValues(cache));
      assertThat(fileCount(dir.resolve("tmp"))).isZero();
      System.out.println("[crash] " + crashes + " kills, " + acked + " acknowledged writes, " + model.size()
          + " keys, leftovers found: " + findings.size());
    }
  }

  private static void apply(Map<String, Expect> model, String begin, boolean inFlight) {
    String[] parts = begin.split(" ");
    String op = parts[1];
    long n = Long.parseLong(parts[2]);
    for (String key : parts[3].split(",")) {
      Expect x = model.computeIfAbsent(key, k -> new Expect());
      if (inFlight) {
        x.hasInFlight = true;
        x.inFlight = n;
        x.inFlightDelete = op.equals("del");
      } else {
        // A later acknowledged write settles whatever was in flight before it.
        x.hasInFlight = false;
        x.acked = n;
        x.ackedDeleted = op.equals("del");
      }
    }
  }

  private static long countBlobValues(Cache<String, byte[]> cache) {
    Set<String> keys = new HashSet<>(cache.keys().toList());
    long n = 0;
    for (String k : keys) {
      try (var v = cache.open(k)) {
        if (v != null && v.isFile()) {
          n++;
        }
      }
    }
    return n;
  }

  private static long fileCount(Path p) throws IOException {
    if (!Files.exists(p)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
