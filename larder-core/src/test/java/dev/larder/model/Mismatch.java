package dev.larder.model;

/**
 * A difference between the cache and the model. {@link #kind} names what differed without the
 * particulars (keys, values), so that shrinking can tell the same failure from another one.
 */
final class Mismatch extends AssertionError {
  private static final long serialVersionUID = 1L;

  private final String kind;

  Mismatch(String kind, String detail) {
    super(kind + ": " + detail);
    this.kind = kind;
  }

  String kind() {
    return kind;
  }
}
