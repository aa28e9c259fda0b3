package dev.larder.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM started with no JVM options at all (the classpath comes through the environment)
 * opens and uses a cache, while this process grows the data file far past the initial memory map;
 * both keep working, each adopting the size the other set.
 */
class GrowthAndFlagsTest {
  @TempDir Path dir;

  @Test
  void childWithoutJvmFlags_andMapGrowthAcrossProcesses_keepWorking() {
    long small = 256 * 1024;
    try (ChildJvm child = ChildJvm.start(GrowthChild.class, dir.toString(), Long.toString(small), "60")) {
      child.awaitLine("READY"::equals, Duration.ofSeconds(60));
      assertThat(child.lines()).contains("ARGS []");
      Random r = new Random(1);
      try (Cache<String, byte[]> cache = Larder.builder(dir).initialMapSize(small).open()) {
        // About 30 MB of records, 120 times the initial map, written while the child reads and writes.
        for (int i = 0; i < 2000; i++) {
          String key = "parent:" + i;
          cache.put(key, Values.make(key, r, 15_000));
        }
        cache.put("parent:done", new byte[1]);
        assertThat(child.waitFor(Duration.ofSeconds(60))).as(child.stderr()).isZero();
        assertThat(child.lines()).filteredOn(l -> l.startsWith("BAD")).isEmpty();
        assertThat(child.lines()).contains("DONE");
        String saw = child.lines().stream().filter(l -> l.startsWith("SAW ")).findFirst().orElseThrow();
        assertThat(Long.parseLong(saw.substring(4))).as("values the child read while the map grew").isPositive();
        for (int i = 0; i < 2000; i += 97) {
          assertThat(Values.verify("parent:" + i, cache.get("parent:" + i))).isNull();
        }
        assertThat(cache.keys("child:").count()).isPositive();
        assertThat(cache.check(false)).isEmpty();
      }
    }
  }
}
