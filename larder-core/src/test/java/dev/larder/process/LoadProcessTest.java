package dev.larder.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading without stampedes across real processes. */
class LoadProcessTest {
  @TempDir Path dir;

  @Test
  void sixtyFourThreadsInFourProcesses_missOneKey_oneLoaderCall() throws Exception {
    Path side = dir.resolve("calls.txt");
    Path cacheDir = dir.resolve("cache");
    try (Cache<String, byte[]> warm = Larder.builder(cacheDir).open()) {
      warm.put("unrelated", new byte[1]);
    }
    long start = System.currentTimeMillis() + 4000; // every JVM is up and spinning by then
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int p = 0; p < 4; p++) {
        children.add(ChildJvm.start(LoadChild.class, "stampede", cacheDir.toString(), side.toString(),
            Long.toString(start), "64"));
      }
      Set<String> values = new HashSet<>();
      int got = 0;
      for (ChildJvm c : children) {
        assertThat(c.waitFor(Duration.ofSeconds(120))).as(c.stderr()).isZero();
        for (String line : c.lines()) {
          if (line.startsWith("GOT ")) {
            values.add(line.substring(4));
            got++;
          }
        }
      }
      assertThat(got).isEqualTo(256);
      assertThat(Files.readAllLines(side)).as("loader calls").hasSize(1);
      assertThat(values).as("values seen by the 256 callers").hasSize(1);
      try (Cache<String, byte[]> cache = Larder.builder(cacheDir).open()) {
        assertThat(new String(cache.get("hot"), UTF_8)).isEqualTo(values.iterator().next());
        assertThat(cache.stats().loads()).isEqualTo(1);
        assertThat(cache.check(false)).isEmpty();
      }
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  @Test
  void leaseHolderKilled_anotherProcessLoadsAtOnce() {
    try (ChildJvm holder = ChildJvm.start(LoadChild.class, "hold", dir.toString())) {
      holder.awaitLine("LOADING"::equals, Duration.ofSeconds(60));
      holder.kill();
    }
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      AtomicInteger calls = new AtomicInteger();
      long started = System.nanoTime();
      // The dead holder's lease runs for ten minutes: only its death explains a prompt takeover.
      byte[] v = cache.get("held", k -> {
        calls.incrementAndGet();
        return "mine".getBytes(UTF_8);
      });
      assertThat(new String(v, UTF_8)).isEqualTo("mine");
      assertThat(calls).hasValue(1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
      assertThat(cache.check(false)).isEmpty();
    }
  }
}
