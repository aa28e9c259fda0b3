package dev.larder.testkit;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds for randomized tests: {@code -Dlarder.seed=N} replays a run; otherwise a fresh seed is
 * drawn. Every seed is printed, so a failing run can be repeated.
 */
public final class Seeds {
  private Seeds() {}

  public static long seed(String testName) {
    String fixed = System.getProperty("larder.seed");
    long seed = fixed != null && !fixed.isEmpty() ? Long.parseLong(fixed) : ThreadLocalRandom.current().nextLong();
    System.out.println("[seed] " + testName + " -Dlarder.seed=" + seed);
    return seed;
  }
}
