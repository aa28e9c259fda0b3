package dev.larder.sim;

import dev.larder.EvictionPolicy;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * One column of the hit-ratio table: a cache under test, made afresh for each (trace, size).
 * Immutable.
 *
 * @param label the table heading
 * @param id a short name for the CSV and the command line
 * @param factory makes an empty cache of the given size in entries
 */
record Column(String label, String id, IntFunction<CacheModel> factory) {

  /** Exact LRU, the baseline that must match the README. */
  static Column lru() {
    return new Column("LRU", "lru", LruModel::new);
  }

  /** Caffeine 3.2.x. */
  static Column caffeine() {
    return new Column("Caffeine", "caffeine", CaffeineModel::new);
  }

  /** The real Larder cache under {@code policy}, its directories made under {@code work}. */
  static Column larder(EvictionPolicy policy, Path work) {
    String label;
    switch (policy) {
      case S3_FIFO:
        label = "Larder (default, S3-FIFO)";
        break;
      case LEAST_RECENTLY_USED:
        label = "Larder LRU";
        break;
      case LEAST_RECENTLY_STORED:
        label = "Larder LRS";
        break;
      case LEAST_FREQUENTLY_USED:
        label = "Larder LFU";
        break;
      default:
        throw new IllegalArgumentException("policy " + policy + " never evicts, so it cannot be replayed");
    }
    return new Column(label, "larder_" + policy.name().toLowerCase(Locale.ROOT),
        size -> new LarderModel(work, policy, size));
  }
}
