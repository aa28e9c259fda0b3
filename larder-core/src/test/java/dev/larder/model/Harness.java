package dev.larder.model;

import dev.larder.Cache;
import dev.larder.Durability;
import dev.larder.EvictionPolicy;
import dev.larder.Finding;
import dev.larder.Larder;
import dev.larder.testkit.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One run of a sequence: a cache in its own directory, a manual clock, and the model. Runs the
 * operations one by one, reads back what each touched, and compares the whole visible state (every
 * key, {@code keys()}, {@code check(false)}) every few operations and at the end.
 */
final class Harness implements AutoCloseable {
  static final int BLOB_THRESHOLD = 1024;
  /** Far above what a sequence stores: eviction never runs, so the model need not predict it. */
  static final long MAX_SIZE = 64L << 20;

  /**
   * The settings of a run.
   *
   * @param policy the eviction policy (never triggered: see {@link #MAX_SIZE})
   * @param initialMapSize the initial memory map; a small one makes writes grow it (and re-run
   *     transaction work)
   * @param durability the durability
   */
  record Config(EvictionPolicy policy, long initialMapSize, Durability durability) {
    static final Config DEFAULT = new Config(EvictionPolicy.LEAST_RECENTLY_STORED, 1L << 20, Durability.PROCESS);

    @Override
    public String toString() {
      return "policy " + policy + ", initial map " + (initialMapSize >> 10) + " KiB, durability " + durability
          + ", blob threshold " + BLOB_THRESHOLD;
    }
  }

  /**
   * Where a sequence failed.
   *
   * @param index the index of the failing operation, or the sequence length for the final check
   * @param op the failing operation, or null for the final check
   * @param kind what failed, without particulars: same kind, same failure, for shrinking
   * @param error the failure
   */
  record Failure(int index, Op op, String kind, Throwable error) {
    static Failure of(int index, Op op, Throwable error) {
      String in = op == null ? "the final check" : op.getClass().getSimpleName();
      String kind = error instanceof Mismatch m ? m.kind() : error.getClass().getSimpleName() + " in " + in;
      return new Failure(index, op, kind, error);
    }

    String where() {
      if (op == null) {
        return "the final check";
      }
      return "operation " + (index + 1) + " (" + op.toString().lines().findFirst().orElse("") + ")";
    }
  }

  private final Path dir;
  private final Config config;
  private final int checkEvery;
  private final UnaryOperator<Cache<String, byte[]>> wrapper;
  private final ManualClock clock = new ManualClock();
  private final Model model = new Model();
  private Cache<String, byte[]> cache;

  /**
   * Opens a cache in {@code dir}.
   *
   * @param checkEvery compare the whole state after every this many operations
   * @param wrapper wraps each opened cache; the identity but in tests of the harness itself
   */
  Harness(Path dir, Config config, int checkEvery, UnaryOperator<Cache<String, byte[]>> wrapper) {
    this.dir = dir;
    this.config = config;
    this.checkEvery = checkEvery;
    this.wrapper = wrapper;
    open(true);
  }

  /**
   * Runs {@code ops} in a new directory under {@code parent} and deletes it after.
   *
   * @return the failure, or null if the cache agreed with the model throughout
   */
  static Failure trial(Path parent, String name, Config config, List<? extends Op> ops, int checkEvery,
      UnaryOperator<Cache<String, byte[]>> wrapper) {
    Path dir = parent.resolve(name);
    try {
      try (Harness h = new Harness(dir, config, checkEvery, wrapper)) {
        return h.execute(ops);
      }
    } finally {
      deleteTree(dir);
    }
  }

  private void open(boolean settings) {
    Larder.Builder<String, byte[]> b = Larder.builder(dir)
        .clock(clock)
        .durability(config.durability())
        .initialMapSize(config.initialMapSize());
    if (settings) {
      b.maxSize(MAX_SIZE).evictionPolicy(config.policy()).blobThreshold(BLOB_THRESHOLD);
    }
    cache = wrapper.apply(b.open());
  }

  void reopen(boolean settings) {
    cache.close();
    cache = null;
    open(settings);
  }

  Cache<String, byte[]> cache() {
    return cache;
  }

  ManualClock clock() {
    return clock;
  }

  Model model() {
    return model;
  }

  /** Runs the operations; returns the first failure, or null. */
  Failure execute(List<? extends Op> ops) {
    Target target = Target.of(this::cache);
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      try {
        Run r = new Run(this, target, model, false);
        op.run(r);
        r.verifyTouched();
        if ((i + 1) % checkEvery == 0) {
          checkAll();
        }
      } catch (RuntimeException | AssertionError e) {
        return Failure.of(i, op, e);
      }
    }
    try {
      checkAll();
    } catch (RuntimeException | AssertionError e) {
      return Failure.of(ops.size(), null, e);
    }
    return null;
  }

  /**
   * Compares the whole visible state with the model: {@code keys()}, then {@code getEntry}, {@code
   * get} and {@code containsKey} of every key of the key space, then {@code check(false)}.
   */
  void checkAll() {
    long now = clock.millis();
    List<String> want = model.keys(null, now);
    List<String> got = cache.keys().toList();
    if (!Keyspace.sameKeys(want, got)) {
      throw new Mismatch("keys()", "expected " + Run.showKeys(want) + " but was " + Run.showKeys(got));
    }
    Run r = new Run(this, Target.of(this::cache), model, false);
    Set<Long> fresh = new HashSet<>();
    for (String k : Keyspace.KEYS) {
      String where = "key " + Keyspace.show(k);
      r.verifyKey(k, fresh);
      Run.sameBytes("get", model.get(k, now), cache.get(k), where);
      Run.same("containsKey", model.live(k, now) != null, cache.containsKey(k), where);
    }
    List<Finding> findings = cache.check(false);
    if (!findings.isEmpty()) {
      throw new Mismatch("check(false) finds problems", findings.toString());
    }
  }

  @Override
  public void close() {
    if (cache != null) {
      cache.close();
      cache = null;
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
