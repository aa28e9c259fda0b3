package dev.larder.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Finding;
import dev.larder.Larder;
import dev.larder.Namespace;
import dev.larder.testkit.ChildJvm;
import dev.larder.testkit.Eventually;
import dev.larder.testkit.Seeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Set invalidation across processes: another process never reads a namespace key after its
 * invalidation committed, and {@code kill -9} during {@code evictTag} or during the reclamation
 * after {@code invalidate()} leaves every entry either gone or whole and the cache passing
 * {@code check()}.
 */
class InvalidationProcessTest {
  @TempDir Path dir;

  @Test
  void invalidate_isSeenAtOnceByAnotherProcess() {
    try (Cache<String, byte[]> cache = Larder.builder(dir).open();
        ChildJvm child = ChildJvm.start(InvalidationChild.class, "watch", dir.toString())) {
      child.awaitLine("READY"::equals, Duration.ofSeconds(60));
      Namespace<String, byte[]> ns = cache.namespace("ns");
      for (int round = 0; round < 300; round++) {
        ns.put("k", Integer.toString(round).getBytes(UTF_8));
        cache.put("phase", ("put " + round).getBytes(UTF_8));
        ns.invalidate();
        byte[] phase = ("inv " + round).getBytes(UTF_8);
        cache.put("phase", phase);
        // Wait for the child to have read the namespace key after this invalidation.
        Eventually.await(Duration.ofSeconds(30), "child checked round " + round,
            () -> java.util.Arrays.equals(cache.get("seen"), phase));
      }
      cache.put("phase", "done".getBytes(UTF_8));
      assertThat(child.waitFor(Duration.ofSeconds(60))).as(child.stderr()).isZero();
      assertThat(child.lines()).filteredOn(l -> l.startsWith("STALE")).isEmpty();
      long checked = Long.parseLong(child.lines().stream().filter(l -> l.startsWith("CHECKED ")).findFirst()
          .orElseThrow().substring(8));
      assertThat(checked).as("reads made by the child after an invalidation").isGreaterThanOrEqualTo(300);
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @Test
  void killNine_duringEvictTag_leavesEntriesGoneOrWhole() {
    Random random = new Random(Seeds.seed("killNine_duringEvictTag"));
    try (ChildJvm child = ChildJvm.start(InvalidationChild.class, "evict-tag", dir.toString())) {
      child.awaitLine("START"::equals, Duration.ofSeconds(120));
      sleep(random.nextInt(150));
      child.kill();
    }
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      int gone = 0;
      for (int n = 0; n < 22_000; n++) {
        byte[] v = cache.get("e" + n);
        if (v == null) {
          assertThat(n).as("an untagged entry was removed").isLessThan(20_000);
          gone++;
        } else {
          assertThat(v).isEqualTo(Values.numbered("e" + n, n));
        }
      }
      System.out.println("[evict-tag] killed after " + gone + " of 20000 tagged entries");
      assertThat(cache.check(false)).allSatisfy(f -> assertThat(f.kind()).isEqualTo(Finding.Kind.ORPHAN_FILE));
      Eventually.await(Duration.ofSeconds(30), "orphaned value files swept", () -> cache.check(false).isEmpty());
      assertThat(cache.evictTag("t")).isEqualTo(20_000 - gone);
      assertThat(cache.size()).isEqualTo(2_000);
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @Test
  void killNine_whileReclaimingAnInvalidatedNamespace_leavesACleanCache() {
    Random random = new Random(Seeds.seed("killNine_whileReclaiming"));
    try (ChildJvm child = ChildJvm.start(InvalidationChild.class, "invalidate", dir.toString())) {
      child.awaitLine("INVALIDATED"::equals, Duration.ofSeconds(120));
      sleep(random.nextInt(100));
      child.kill();
    }
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      Namespace<String, byte[]> ns = cache.namespace("ns");
      assertThat(ns.keys().count()).isZero();
      assertThat(ns.get("k0")).isNull();
      // Value files whose unlink the kill interrupted (after the commit that dropped their entries)
      // are orphans until the sweep that this open starts, having found the dead process in the
      // directory's process registry, removes them. Nothing else may be wrong meanwhile.
      assertThat(cache.check(false)).allSatisfy(f -> assertThat(f.kind()).isEqualTo(Finding.Kind.ORPHAN_FILE));
      Eventually.await(Duration.ofSeconds(30), "orphaned value files swept", () -> cache.check(false).isEmpty());
      System.out.println("[invalidate] " + cache.size() + " old entries left at the kill");
      // The mark the invalidation wrote lets this process's maintenance finish the reclamation.
      Eventually.await(Duration.ofSeconds(30), "old generation reclaimed by another process", () -> cache.size() == 0);
      assertThat(cache.check(false)).isEmpty();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
