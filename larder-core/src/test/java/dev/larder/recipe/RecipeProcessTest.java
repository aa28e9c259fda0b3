package dev.larder.recipe;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every recipe across real child JVMs on one directory; see {@link RecipeChild} for the modes. */
class RecipeProcessTest {
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path dir;

  /** Starts {@code n} children in {@code mode}, all beginning their work together, and waits for them. */
  private List<String> runChildren(int n, String mode, String... args) {
    try (Cache<String, byte[]> warm = Larder.builder(dir).open()) {
      warm.put("warm", new byte[1]); // create the directory before the children race to
    }
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        String[] full = Stream.concat(Stream.of(mode, dir.toString()), Arrays.stream(args)).toArray(String[]::new);
        children.add(ChildJvm.start(RecipeChild.class, full));
      }
      // Start them together, which makes contention likelier; no assertion depends on it.
      for (ChildJvm c : children) {
        c.awaitLine("READY"::equals, CHILD_TIMEOUT);
      }
      try (Cache<String, byte[]> cache = open()) {
        cache.put("go", new byte[0]);
      }
      long go = System.nanoTime();
      List<String> lines = new ArrayList<>();
      for (ChildJvm c : children) {
        c.awaitLine("DONE"::equals, CHILD_TIMEOUT);
      }
      System.out.println("[" + mode + "] " + n + " children worked " + (System.nanoTime() - go) / 1_000_000 + " ms");
      for (ChildJvm c : children) {
        int exit = c.waitFor(CHILD_TIMEOUT);
        assertThat(exit).as("exit of %s: %s\n%s", c, c.lines(), c.stderr()).isZero();
        lines.addAll(c.lines());
      }
      return lines;
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  private static List<Long> numbersAfter(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix + " ")).map(l -> Long.parseLong(l.substring(prefix.length() + 1))).toList();
  }

  private Cache<String, byte[]> open() {
    return Larder.builder(dir).open();
  }

  private static long read(Cache<String, byte[]> cache, String key) {
    return Long.parseLong(new String(cache.get(key), UTF_8));
  }

  @Test
  void lock_fourProcessesTimesTwoThreads_nonAtomicCounterExact() {
    runChildren(4, "counter", "2", "150");
    try (Cache<String, byte[]> cache = open()) {
      assertThat(read(cache, "counter")).isEqualTo(4 * 2 * 150);
      assertThat(Lock.of(cache, "counter-lock").isLocked()).isFalse();
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @Test
  void lockAndSemaphore_holderKilled_takenOverAfterItsLeasesEndAndNotBefore() throws Exception {
    long leaseMillis = 2000;
    String held;
    String permits;
    long childPid;
    try (Cache<String, byte[]> warm = open()) {
      warm.put("warm", new byte[1]);
    }
    try (ChildJvm holder = ChildJvm.start(RecipeChild.class, "hold", dir.toString(), Long.toString(leaseMillis))) {
      held = holder.awaitLine(l -> l.startsWith("HELD "), CHILD_TIMEOUT);
      permits = holder.lines().stream().filter(l -> l.startsWith("PERMITS ")).findFirst().orElseThrow();
      childPid = holder.pid();
      holder.kill(); // SIGKILL while holding the lock
      assertThat(holder.isAlive()).isFalse();
    }
    String[] f = held.split(" ");
    long deadToken = Long.parseLong(f[1]);
    long deadExpiresAt = Long.parseLong(f[3]);
    assertThat(deadExpiresAt - Long.parseLong(f[2])).isEqualTo(leaseMillis);
    try (Cache<String, byte[]> cache = open()) {
      Lock lock = Lock.of(cache, "crash-lock");
      LockState record = LockState.decode("crash-lock", cache.get("crash-lock"));
      assertThat(record.owner()).as("the dead holder's record").startsWith(childPid + ".");
      assertThat(record.expiresAt()).isEqualTo(deadExpiresAt);
      LockLease mine = null;
      int refusedWhileLeaseLive = 0;
      long giveUp = System.nanoTime() + CHILD_TIMEOUT.toNanos();
      while (mine == null) {
        long before = System.currentTimeMillis();
        mine = lock.tryLock();
        long after = System.currentTimeMillis();
        if (mine == null) {
          assertThat(before).as("refused although the dead holder's lease had ended before the attempt")
              .isLessThan(deadExpiresAt);
          if (after < deadExpiresAt) {
            refusedWhileLeaseLive++;
          }
          assertThat(System.nanoTime()).as("lock never taken over").isLessThan(giveUp);
          Thread.sleep(20);
        }
      }
      System.out.println("[crash-lock] refused " + refusedWhileLeaseLive + " times while the dead lease was live;"
          + " acquired " + (mine.acquiredAt().toEpochMilli() - deadExpiresAt) + " ms after it ended");
      assertThat(mine.acquiredAt()).as("acquired only once the dead holder's lease had ended")
          .isAfterOrEqualTo(Instant.ofEpochMilli(deadExpiresAt));
      assertThat(mine.token()).isGreaterThan(deadToken);
      mine.close();

      // The dead holder's two permits: the first new permit comes only once one of them has ended.
      long firstPermitEnds = Arrays.stream(permits.split(" ")).skip(1).mapToLong(Long::parseLong).min().orElseThrow();
      Semaphore sem = Semaphore.of(cache, "crash-sem", 2);
      System.out.println("[crash-sem] trying " + (firstPermitEnds - System.currentTimeMillis()) + " ms before the first dead permit ends");
      Permit p = sem.acquire(CHILD_TIMEOUT);
      assertThat(p.acquiredAt()).as("a dead holder's permit reclaimed only after its lease")
          .isAfterOrEqualTo(Instant.ofEpochMilli(firstPermitEnds));
      p.close();
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @Test
  void reentrantLock_twoProcessesTimesTwoThreads_nestedHoldsExcludeEachOther() {
    runChildren(2, "reentrant", "2", "100");
    try (Cache<String, byte[]> cache = open()) {
      assertThat(read(cache, "rcounter")).isEqualTo(2 * 2 * 100);
      assertThat(read(cache, "rinside")).isZero();
      assertThat(ReentrantLock.of(cache, "rlock").isLocked()).isFalse();
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @Test
  void reentrantLock_heldTwiceByAnotherProcess_releaseAndEntryRefused() {
    try (Cache<String, byte[]> warm = open()) {
      warm.put("warm", new byte[1]);
    }
    try (ChildJvm holder = ChildJvm.start(RecipeChild.class, "rhold", dir.toString());
        Cache<String, byte[]> cache = open()) {
      String[] held = holder.awaitLine(l -> l.startsWith("HELD "), CHILD_TIMEOUT).split(" ");
      assertThat(held[2]).as("the child's hold count").isEqualTo("2");
      ReentrantLock lock = ReentrantLock.of(cache, "rlock-held");
      assertThatThrownBy(lock::unlock)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("it is held by " + held[1]);
      assertThat(lock.tryLock()).isNull();
      assertThat(lock.holdCount()).isZero();
      assertThat(LockState.decode("rlock-held", cache.get("rlock-held")).holds()).as("untouched").isEqualTo(2);
      assertThat(lock.isLocked()).isTrue();
    }
  }

  @Test
  void semaphore_twoPermitsFourProcesses_atMostTwoHoldersAndReachesTwo() {
    List<String> lines = runChildren(4, "semaphore", "6");
    List<Long> holders = numbersAfter(lines, "HOLDERS");
    assertThat(holders).hasSize(4 * 6);
    assertThat(holders).allSatisfy(h -> assertThat(h).isBetween(1L, 2L));
    assertThat(holders).contains(2L);
    try (Cache<String, byte[]> cache = open()) {
      assertThat(read(cache, "sem.current")).isZero();
      assertThat(Semaphore.of(cache, "sem", 2).availablePermits()).isEqualTo(2);
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @Test
  void rateLimiter_threeProcesses_everyWindowWithinBurstPlusRateTimesLength() {
    double rate = 40;
    int burst = 5;
    long interval = (long) Math.ceil(1e9 / rate);
    long before;
    try (Cache<String, byte[]> cache = open()) {
      before = RateLimiter.of(cache, "rate", rate, burst).attempt().nowNanos(); // one grant, by the parent
    }
    List<String> lines = runChildren(3, "rate", "12", Double.toString(rate), Integer.toString(burst));
    record G(long now, long tat) {}
    List<G> grants = new ArrayList<>(lines.stream().filter(l -> l.startsWith("GRANT ")).map(l -> {
      String[] f = l.split(" ");
      return new G(Long.parseLong(f[1]), Long.parseLong(f[2]));
    }).toList());
    assertThat(grants).hasSize(36);
    grants.add(new G(before, 0)); // the parent's grant came first
    grants.sort(Comparator.comparingLong(G::tat)); // tat grows with every grant: commit order
    assertThat(grants.stream().map(G::tat).distinct().count()).isEqualTo(37);
    // GCRA's bound, for every window of consecutive grants i..j in commit order:
    // (j - i + 1) * T <= (now_j - now_i) + burst * T, i.e. count <= burst + rate * length.
    for (int i = 0; i < grants.size(); i++) {
      for (int j = i; j < grants.size(); j++) {
        long count = j - i + 1;
        long slack = (grants.get(j).now() - grants.get(i).now()) + burst * interval - count * interval;
        assertThat(slack).as("grants %d..%d: %d in %d ns", i, j, count, grants.get(j).now() - grants.get(i).now())
            .isGreaterThanOrEqualTo(0);
      }
    }
    long elapsed = grants.get(grants.size() - 1).now() - before;
    System.out.println("[rate] 37 grants in " + elapsed / 1_000_000 + " ms; bound allows "
        + (burst + rate * elapsed / 1e9));
    assertThat(37.0).isLessThanOrEqualTo(burst + rate * elapsed / 1e9);
  }

  @Test
  void barrier_threeProcessesTimesTwoThreads_oneInsideAtATime() {
    List<String> lines = runChildren(3, "barrier", "2", "40");
    List<Long> inside = numbersAfter(lines, "INSIDE");
    assertThat(inside).hasSize(3 * 2 * 40).containsOnly(1L);
    try (Cache<String, byte[]> cache = open()) {
      assertThat(read(cache, "runs")).isEqualTo(3 * 2 * 40);
      assertThat(Lock.of(cache, "barrier-lock").isLocked()).isFalse();
    }
  }

  @Test
  void averager_threeProcessesTimesTwoThreads_exactCountAndMean() {
    runChildren(3, "average", "2", "1", "200");
    try (Cache<String, byte[]> cache = open()) {
      Averager avg = Averager.of(cache, "avg");
      assertThat(avg.count()).isEqualTo(3 * 2 * 200);
      assertThat(avg.get()).hasValue(100.5);
      assertThat(avg.pop()).hasValue(100.5);
      assertThat(avg.get()).isEmpty();
      assertThat(cache.check(false)).isEmpty();
    }
  }
}
