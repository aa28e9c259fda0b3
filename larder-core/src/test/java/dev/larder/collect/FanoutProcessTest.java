package dev.larder.collect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link FanoutCache} shared with a child JVM: both route every key to the same shard. */
class FanoutProcessTest {
  @TempDir Path dir;

  @Test
  void childProcess_readsAndWritesThroughTheSameRouting_allVisible() {
    int n = 500;
    try (FanoutCache<String, byte[]> cache = FanoutCache.builder(dir).shards(8).open()) {
      for (int i = 0; i < n; i++) {
        cache.put("p" + i, ("parent" + i).getBytes(UTF_8));
      }
      try (ChildJvm child = ChildJvm.start(FanoutChild.class, dir.toString(), Integer.toString(n))) {
        assertThat(child.waitFor(Duration.ofMinutes(2))).as("child: %s", child.stderr()).isZero();
        assertThat(child.lines()).contains("SHARDS 8", "DONE");
        assertThat(child.lines()).filteredOn(l -> l.startsWith("BAD")).isEmpty();
      }
      for (int i = 0; i < n; i++) {
        String k = "c" + i;
        assertThat(cache.get(k)).as(k).isEqualTo(("child" + i).getBytes(UTF_8));
        // Stored in the very shard this process routes it to, not merely found somewhere.
        assertThat(cache.shard(cache.shardOf(k)).containsKey(k)).as(k).isTrue();
      }
      assertThat(cache.size()).isEqualTo(2L * n);
      assertThat(cache.check(false)).isEmpty();
    }
  }
}
