package dev.larder.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.model.Harness.Config;
import dev.larder.model.Harness.Failure;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the random sequences against a cache with a planted bug (a fault-injecting wrapper around
 * the real cache) and proves that the harness finds it and the shrinker reduces the sequence to
 * the few operations that show it.
 */
class PlantedBugTest {
  @TempDir Path tmp;

  /** The real cache, except that {@code persist} of a live entry does nothing (and says true). */
  @SuppressWarnings("unchecked")
  static Cache<String, byte[]> persistIgnored(Cache<String, byte[]> real) {
    return (Cache<String, byte[]>) Proxy.newProxyInstance(Cache.class.getClassLoader(), new Class<?>[] {Cache.class},
        (proxy, method, args) -> {
          if (method.getName().equals("persist")) {
            return real.containsKey((String) args[0]);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void randomSequences_persistIgnored_failAndShrinkToThreeOperations() {
    UnaryOperator<Cache<String, byte[]>> wrapper = PlantedBugTest::persistIgnored;
    Failure found = null;
    List<Op> ops = null;
    Config config = null;
    for (long seed = 1; seed <= 200 && found == null; seed++) {
      Gen gen = new Gen(seed);
      config = gen.config();
      ops = gen.ops(60);
      found = Harness.trial(tmp, "run-" + seed, config, ops, 10, wrapper);
    }
    assertThat(found).as("a sequence that meets the planted bug").isNotNull();

    AssertionError report = CacheModelTest.report(tmp, 0, 0, config, ops, found, wrapper);
    System.out.println(report.getMessage());

    // put with an expiry, persist, then the entry read back still has its expiry.
    assertThat(report.getMessage()).contains("getEntry expiresAt", "minimal sequence (2 of", "persist");
  }
}
