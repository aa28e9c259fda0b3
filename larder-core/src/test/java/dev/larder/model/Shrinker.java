package dev.larder.model;

import dev.larder.model.Harness.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Shrinks a failing sequence by simple delta debugging: cut everything after the failing step,
 * then try removing chunks (halves, quarters, ... single operations), then try simpler variants of
 * each operation ({@link Op#simpler()}), keeping every change after which the sequence still fails
 * with the same kind of failure; repeat until nothing more goes or the budget is spent.
 */
final class Shrinker {
  private final Function<List<Op>, Failure> trial;
  private final String kind;
  private final int maxTrials;
  private final long deadline;
  private int trials;

  /**
   * @param trial runs a sequence on a fresh directory and returns its failure, or null
   * @param kind the kind of failure to keep
   * @param maxTrials at most this many runs
   * @param maxMillis and at most this long
   */
  Shrinker(Function<List<Op>, Failure> trial, String kind, int maxTrials, long maxMillis) {
    this.trial = trial;
    this.kind = kind;
    this.maxTrials = maxTrials;
    this.deadline = System.nanoTime() + maxMillis * 1_000_000;
  }

  int trials() {
    return trials;
  }

  /** Returns the smallest failing sequence found, starting from {@code ops} that failed at {@code failure}. */
  List<Op> shrink(List<Op> ops, Failure failure) {
    List<Op> current = cut(ops, failure);
    boolean progress = true;
    while (progress && budgetLeft()) {
      progress = false;
      for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && budgetLeft(); chunk /= 2) {
        // From the end: later operations depend on earlier ones, rarely the other way.
        int start = current.size() - chunk;
        while (start >= 0 && budgetLeft()) {
          List<Op> candidate = new ArrayList<>(current.subList(0, start));
          candidate.addAll(current.subList(start + chunk, current.size()));
          List<Op> kept = attempt(candidate);
          if (kept != null) {
            current = kept;
            progress = true;
          }
          start = Math.min(start - chunk, current.size() - chunk);
        }
      }
      for (int i = 0; i < current.size() && budgetLeft(); i++) {
        for (Op simpler : current.get(i).simpler()) {
          List<Op> kept = attempt(Op.with(current, i, simpler));
          if (kept != null) {
            current = kept;
            progress = true;
            i = Math.min(i, current.size()) - 1; // look at the simpler one again
            break;
          }
        }
      }
    }
    return current;
  }

  /** The candidate, cut after its failing step, if it fails the same way; else null. */
  private List<Op> attempt(List<Op> candidate) {
    trials++;
    Failure f = trial.apply(candidate);
    return f != null && f.kind().equals(kind) ? cut(candidate, f) : null;
  }

  private static List<Op> cut(List<Op> ops, Failure f) {
    return List.copyOf(ops.subList(0, Math.min(ops.size(), f.index() + 1)));
  }

  private boolean budgetLeft() {
    return trials < maxTrials && System.nanoTime() < deadline;
  }
}
