package dev.larder.sim;

import java.util.List;

/**
 * The traces and the reference hit ratios published with them in {@code shared/traces/README.md}:
 * for each trace its file, request count and cache sizes, and for each (trace, size) the LRU, OPT
 * and Caffeine 3.2.4 hit ratios in hundredths of a percent. LRU and OPT are deterministic, so an
 * exact LRU must reproduce that column to the last digit. Immutable.
 */
final class Reference {
  private Reference() {}

  /**
   * One trace with its sizes.
   *
   * @param name the short name used in tables
   * @param file the file name in the traces directory
   * @param requests the request count given in the README
   * @param sizes the cache sizes to replay it at, in entries
   */
  record TraceSpec(String name, String file, int requests, int[] sizes) {}

  /**
   * The README's numbers for one (trace, size), in hundredths of a percent.
   *
   * @param trace the trace name
   * @param size the cache size in entries
   * @param lru exact LRU
   * @param opt Belady's optimal replacement
   * @param caffeine Caffeine 3.2.4 through its public API
   */
  record Row(String trace, int size, int lru, int opt, int caffeine) {}

  static final List<TraceSpec> TRACES = List.of(
      new TraceSpec("web07", "cache2k_web07.trace.xz", 76_118, new int[] {500, 1000, 2000, 4000}),
      new TraceSpec("web12", "cache2k_web12.trace.xz", 95_607, new int[] {500, 1000, 2000, 4000}),
      new TraceSpec("orm-night", "cache2k_orm-night.trace.xz", 5_000_000, new int[] {2000, 5000, 10000, 20000}),
      new TraceSpec("orm-busy", "cache2k_orm-busy.trace.xz", 5_000_000, new int[] {2000, 5000, 10000, 20000}));

  static final List<Row> ROWS = List.of(
      new Row("web07", 500, 4558, 5916, 4922),
      new Row("web07", 1000, 5041, 6358, 4924),
      new Row("web07", 2000, 5550, 6797, 5405),
      new Row("web07", 4000, 6082, 7159, 5960),
      new Row("web12", 500, 5578, 7181, 6035),
      new Row("web12", 1000, 6473, 7775, 6722),
      new Row("web12", 2000, 7256, 8234, 7290),
      new Row("web12", 4000, 7897, 8529, 7803),
      new Row("orm-night", 2000, 6977, 8410, 7505),
      new Row("orm-night", 5000, 8785, 9415, 9025),
      new Row("orm-night", 10000, 9406, 9633, 9443),
      new Row("orm-night", 20000, 9587, 9759, 9607),
      new Row("orm-busy", 2000, 8139, 8725, 8119),
      new Row("orm-busy", 5000, 8546, 9140, 8574),
      new Row("orm-busy", 10000, 8949, 9441, 8992),
      new Row("orm-busy", 20000, 9360, 9670, 9391));

  /** The README's row for {@code (trace, size)}, or {@code null} if it has none. */
  static Row row(String trace, int size) {
    for (Row r : ROWS) {
      if (r.trace().equals(trace) && r.size() == size) {
        return r;
      }
    }
    return null;
  }

  /** A hit count as hundredths of a percent of {@code requests}, rounded half up as printed. */
  static int hundredths(long hits, long requests) {
    return (int) Math.round(hits * 10_000.0 / requests);
  }
}
