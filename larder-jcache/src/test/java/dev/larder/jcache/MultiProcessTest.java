package dev.larder.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.ChildJvm;
import dev.larder.testkit.Invariants;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs sharing one directory through JCache. */
class MultiProcessTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path dir;
  private LarderCachingProvider provider;
  private Cache<String, Long> cache;

  @BeforeEach
  void open() {
    provider = new LarderCachingProvider();
    CacheManager manager = provider.getCacheManager(dir.toUri(), getClass().getClassLoader(), new Properties());
    cache = manager.createCache("shared", new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
    dev.larder.Cache<?, ?> larder = cache.unwrap(dev.larder.Cache.class);
    invariants.register("check", () -> larder.check(false));
  }

  @AfterEach
  void close() {
    provider.close();
  }

  private static void finish(ChildJvm child) {
    child.awaitLine("DONE"::equals, TIMEOUT);
    assertThat(child.waitFor(TIMEOUT)).as("exit code; stderr: %s", child.stderr()).isZero();
  }

  @Test
  void childWrites_parentReads() {
    try (ChildJvm child = ChildJvm.start(JCacheChild.class, dir.toString(), "put", "100")) {
      finish(child);
    }

    for (long i = 0; i < 100; i++) {
      assertThat(cache.get("k" + i)).as("k%d", i).isEqualTo(i);
    }
  }

  @Test
  void parentWrites_childReads() {
    for (long i = 0; i < 10; i++) {
      cache.put("k" + i, i * 10);
    }

    try (ChildJvm child = ChildJvm.start(JCacheChild.class, dir.toString(), "get", "10")) {
      finish(child);
      assertThat(child.lines()).contains("GOT k0=0", "GOT k9=90");
    }
  }

  @Test
  void childKilledWhileWriting_everyAcknowledgedPutSurvives() {
    long acked;
    try (ChildJvm child = ChildJvm.start(JCacheChild.class, dir.toString(), "forever", "0")) {
      child.awaitLine(l -> l.equals("ACK 300"), TIMEOUT);
      child.kill();
      acked = child.lines().stream().filter(l -> l.startsWith("ACK ")).mapToLong(l -> Long.parseLong(l.substring(4)))
          .max().orElseThrow();
    }

    for (long i = 0; i <= acked; i++) {
      assertThat(cache.get("k" + i)).as("k%d of %d acknowledged", i, acked).isEqualTo(i);
    }
  }

  @Test
  void entryProcessors_inThreeProcesses_loseNoIncrement() {
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int c = 0; c < 2; c++) {
        children.add(ChildJvm.start(JCacheChild.class, dir.toString(), "incr", "300"));
      }
      for (int i = 0; i < 300; i++) {
        cache.invoke("counter", JCacheChild.increment());
      }
      children.forEach(MultiProcessTest::finish);
    } finally {
      children.forEach(ChildJvm::close);
    }

    assertThat(cache.get("counter")).isEqualTo(900L);
  }
}
