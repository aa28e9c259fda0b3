package dev.larder.process;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.ChildJvm;
import dev.larder.testkit.Seeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four child JVMs with two threads each do random operations on shared keys of one directory at
 * the same time. Every value any of them reads must be whole and belong to its key; the shared
 * counters must end at exactly the number of increments the children made; the cache must pass
 * {@code check()}.
 */
class MultiProcessTest {
  @TempDir Path dir;

  @Test
  void fourProcesses_sharedKeysAndCounters_exactTotalsAndCleanCheck() {
    long seed = Seeds.seed("MultiProcessTest");
    int processes = 4;
    String seconds = System.getProperty("larder.test.stressSeconds", "4");
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int p = 0; p < processes; p++) {
        children.add(ChildJvm.start(StressChild.class, dir.toString(), seconds, "2", Long.toString(seed + p)));
      }
      Map<String, Long> totals = new HashMap<>();
      for (ChildJvm child : children) {
        int exit = child.waitFor(Duration.ofMinutes(2));
        assertThat(exit).as("exit code of %s, stderr: %s", child, child.stderr()).isZero();
        List<String> lines = child.lines();
        assertThat(lines).as("stderr: %s", child.stderr()).contains("DONE");
        assertThat(lines).filteredOn(l -> l.startsWith("BAD")).isEmpty();
        for (String line : lines) {
          if (line.startsWith("INCR ")) {
            String[] parts = line.split(" ");
            totals.merge(parts[1], Long.parseLong(parts[2]), Long::sum);
          }
        }
      }
      try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
        long sum = 0;
        for (Map.Entry<String, Long> e : totals.entrySet()) {
          byte[] v = cache.get(e.getKey());
          long stored = v == null ? 0 : Long.parseLong(new String(v, US_ASCII));
          assertThat(stored).as("counter %s", e.getKey()).isEqualTo(e.getValue());
          sum += e.getValue();
        }
        assertThat(sum).as("increments made").isGreaterThan(100);
        assertThat(cache.check(false)).isEmpty();
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
  }
}
