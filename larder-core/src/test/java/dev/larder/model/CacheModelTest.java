package dev.larder.model;

import dev.larder.Cache;
import dev.larder.model.Harness.Config;
import dev.larder.model.Harness.Failure;
import dev.larder.testkit.Seeds;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-based randomized test of {@link Cache}, in the manner of a jqwik stateful test: random
 * sequences of every operation (writes with and without expiry, tags and flags, cas with current
 * and stale versions, counters up to overflow, concatenation across the blob threshold, bulk
 * calls, key scans by prefix, expiry sweeps, clock advances onto the exact millisecond of an
 * expiry, transactions that commit or roll back, closing and reopening the directory) run against
 * a real cache and against {@link Model}, a plain map.
 *
 * <p>It proves that every return value matches the model; that right after each operation every
 * entry it may have changed matches the model in value, expiry, tags, flags, storage time and
 * version; that versions of writes only increase and are never reused; that a rolled-back
 * transaction leaves nothing behind; that the whole state survives reopening; and that every
 * {@value #DEFAULT_CHECK_EVERY} operations and at the end all keys, {@code keys()} and {@code
 * check(false)} agree with the model.
 *
 * <p>Bugs it found are kept as regression tests: {@link LongKeyBugsTest}, {@link CheckBugTest},
 * {@link DecrBugTest}.
 *
 * <p>A failing sequence is shrunk and reported with its seed. Settings: {@code -Dlarder.seed=N}
 * replays a run, {@code -Dlarder.model.runs}, {@code -Dlarder.model.ops}, {@code
 * -Dlarder.model.checkEvery}, and {@code -Dlarder.model.only=I} runs only sequence I of the seed.
 */
class CacheModelTest {
  static final int DEFAULT_CHECK_EVERY = 10;
  static final int RUNS = Integer.getInteger("larder.model.runs", 200);
  static final int OPS = Integer.getInteger("larder.model.ops", 60);
  static final int CHECK_EVERY = Integer.getInteger("larder.model.checkEvery", DEFAULT_CHECK_EVERY);
  static final Integer ONLY = Integer.getInteger("larder.model.only");

  @TempDir Path tmp;

  @Test
  void randomSequences_againstModel_agreeAfterEveryOperation() {
    long seed = Seeds.seed("CacheModelTest.randomSequences_againstModel_agreeAfterEveryOperation");
    long start = System.nanoTime();
    Random seeds = new Random(seed);
    Stats.reset();
    int ran = 0;
    for (int i = 0; i < RUNS; i++) {
      long sequenceSeed = seeds.nextLong();
      if (ONLY != null && ONLY != i) {
        continue;
      }
      Gen gen = new Gen(sequenceSeed);
      Config config = gen.config();
      List<Op> ops = gen.ops(OPS);
      Failure f = Harness.trial(tmp, "run-" + i, config, ops, CHECK_EVERY, UnaryOperator.identity());
      if (f != null) {
        throw report(tmp, seed, i, config, ops, f, UnaryOperator.identity());
      }
      ran++;
    }
    System.out.printf("[model] %d sequences of %d operations in %d ms; events:%n%s", ran, OPS,
        (System.nanoTime() - start) / 1_000_000, Stats.report());
  }

  /**
   * Shrinks a failing sequence and builds the assertion that reports it: the seed, the settings,
   * the minimal sequence one operation a line, and the failure.
   */
  static AssertionError report(Path tmp, long seed, int index, Config config, List<Op> ops, Failure f,
      UnaryOperator<Cache<String, byte[]>> wrapper) {
    int[] n = {0};
    Shrinker shrinker = new Shrinker(
        candidate -> Harness.trial(tmp, "shrink-" + n[0]++, config, candidate, CHECK_EVERY, wrapper),
        f.kind(), 2000, 60_000);
    List<Op> small = shrinker.shrink(ops, f);
    Failure last = Harness.trial(tmp, "final", config, small, CHECK_EVERY, wrapper);
    if (last == null || !last.kind().equals(f.kind())) {
      small = ops; // cannot happen unless a run is not deterministic; report the original then
      last = f;
    }
    String message = String.format(
        "the cache disagrees with the model: %s%n  at %s%n"
            + "replay: -Dlarder.seed=%d -Dlarder.model.only=%d (%s)%n"
            + "minimal sequence (%d of %d operations, after %d shrinking runs):%n%s"
            + "failure: %s",
        last.kind(), last.where(), seed, index, config, small.size(), ops.size(), shrinker.trials(),
        Op.list(small), last.error());
    return new AssertionError(message, last.error());
  }
}
