package dev.larder.model;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the events the sequences reached (a cas that stored, a counter that overflowed, a
 * concatenation that moved a value into a file...), printed after a run so that one can see the
 * generator reaches the edges it is meant to. Thread-safe.
 */
final class Stats {
  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  private Stats() {}

  static void note(String event) {
    COUNTS.computeIfAbsent(event, e -> new LongAdder()).increment();
  }

  static void reset() {
    COUNTS.clear();
  }

  /** The counts, one event a line, sorted by name. */
  static String report() {
    StringBuilder s = new StringBuilder();
    new TreeMap<>(COUNTS).forEach((k, v) -> s.append(String.format("  %-48s %8d%n", k, v.sum())));
    return s.toString();
  }
}
