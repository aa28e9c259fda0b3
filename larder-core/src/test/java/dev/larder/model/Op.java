package dev.larder.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a sequence, as data: generated before anything runs, so that a failing sequence can
 * be replayed and shrunk. {@link #run} performs it on the cache and on the model and compares the
 * results; the harness then reads back the keys it touched.
 */
interface Op {

  void run(Run run);

  /** Simpler variants of this operation to try while shrinking, simplest first. */
  default List<Op> simpler() {
    return List.of();
  }

  /** An operation that may also run inside {@code transact}, on the {@link Run#target()}. */
  interface InTransaction extends Op {}

  /** A sequence for reading: one operation a line, numbered. */
  static String list(List<? extends Op> ops) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < ops.size(); i++) {
      s.append(String.format("  %3d  %s%n", i + 1, ops.get(i).toString().replace("\n", "\n       ")));
    }
    return s.toString();
  }

  /** {@code ops} with the element at {@code index} replaced, or removed when {@code op} is null. */
  static <T> List<T> with(List<T> ops, int index, T op) {
    List<T> out = new ArrayList<>(ops);
    if (op == null) {
      out.remove(index);
    } else {
      out.set(index, op);
    }
    return List.copyOf(out);
  }
}
