package dev.larder.model;

import dev.larder.Cache;
import dev.larder.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one operation runs against: the target (the cache, or the transaction inside {@code
 * transact}), the model, and the harness with the clock. Collects the keys the operation may have
 * written and, after it, reads each back to compare every field with the model and to learn the
 * versions the cache gave.
 */
final class Run {
  private final Harness harness;
  private final Target target;
  private final Model model;
  private final boolean inTransaction;
  private final Set<String> touched = new LinkedHashSet<>();
  /** Every version read back for a write of this operation must be above this. */
  private final long floor;

  Run(Harness harness, Target target, Model model, boolean inTransaction) {
    this.harness = harness;
    this.target = target;
    this.model = model;
    this.inTransaction = inTransaction;
    this.floor = model.maxVersion();
  }

  long now() {
    return harness.clock().millis();
  }

  Model model() {
    return model;
  }

  Target target() {
    return target;
  }

  Harness harness() {
    return harness;
  }

  Cache<String, byte[]> cache() {
    return harness.cache();
  }

  boolean inTransaction() {
    return inTransaction;
  }

  /** Notes that the operation may have changed {@code key}. */
  void touched(String key) {
    touched.add(key);
  }

  void touched(Collection<String> keys) {
    touched.addAll(keys);
  }

  /**
   * Reads back every key the operation touched, and every entry whose version the model does not
   * know yet, and compares them with the model.
   */
  void verifyTouched() {
    Set<Long> fresh = new HashSet<>();
    Set<String> keys = new LinkedHashSet<>(touched);
    keys.addAll(model.keysWithUnknownVersion());
    for (String k : keys) {
      verifyKey(k, fresh);
    }
  }

  /** Compares {@code getEntry(key)} with the model, field by field. */
  void verifyKey(String key, Set<Long> fresh) {
    Entry<String, byte[]> actual = target.getEntry(key);
    ModelEntry want = model.live(key, now());
    String where = "key " + Keyspace.show(key);
    if (want == null) {
      if (actual != null) {
        throw new Mismatch("getEntry finds an entry the model does not have",
            where + " has " + show(actual.value()) + " version " + actual.version());
      }
      return;
    }
    if (actual == null) {
      throw new Mismatch("getEntry misses an entry", where + ", model has " + show(want.value()));
    }
    same("getEntry key", key, actual.key(), where);
    sameBytes("getEntry value", want.value(), actual.value(), where);
    same("getEntry expiresAt", want.expiresAtInstant(), actual.expiresAt(), where);
    same("getEntry tags", want.tags(), actual.tags(), where);
    same("getEntry flags", want.flags(), actual.flags(), where);
    same("getEntry storedAt", Instant.ofEpochMilli(want.storedAt()), actual.storedAt(), where);
    if (want.version() == Model.UNKNOWN) {
      if (actual.version() <= floor) {
        throw new Mismatch("a write got a version not above earlier versions",
            where + " got version " + actual.version() + ", but version " + floor + " was seen before");
      }
      if (!fresh.add(actual.version())) {
        throw new Mismatch("two writes got the same version", where + " got version " + actual.version());
      }
      model.learnVersion(key, actual.version());
    } else {
      same("getEntry version", want.version(), actual.version(), where);
    }
  }

  // ---- comparisons --------------------------------------------------------------------------

  static void same(String what, Object expected, Object actual, String where) {
    if (!Objects.equals(expected, actual)) {
      throw new Mismatch(what, where + ": expected " + expected + " but was " + actual);
    }
  }

  static void sameBytes(String what, byte[] expected, byte[] actual, String where) {
    if (!Arrays.equals(expected, actual)) {
      throw new Mismatch(what, where + ": expected " + show(expected) + " but was " + show(actual));
    }
  }

  static void sameMap(String what, Map<String, byte[]> expected, Map<String, byte[]> actual, String where) {
    if (!expected.keySet().equals(actual.keySet())) {
      throw new Mismatch(what, where + ": expected keys " + showKeys(expected.keySet()) + " but was "
          + showKeys(actual.keySet()));
    }
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      sameBytes(what, e.getValue(), actual.get(e.getKey()), where + ", key " + Keyspace.show(e.getKey()));
    }
  }

  /** Runs {@code action} and requires it to throw {@code type}. */
  static void throwsError(String what, Class<? extends RuntimeException> type, Runnable action) {
    Object result;
    try {
      action.run();
      result = "no exception";
    } catch (RuntimeException e) {
      if (type.isInstance(e)) {
        return;
      }
      throw e;
    }
    throw new Mismatch(what + " does not throw " + type.getSimpleName(), result.toString());
  }

  static String showKeys(Collection<String> keys) {
    return keys.stream().map(Keyspace::show).toList().toString();
  }

  /** A value for reading: short printable text as it is, anything else by length and first bytes. */
  static String show(byte[] b) {
    if (b == null) {
      return "null";
    }
    boolean printable = b.length <= 40;
    for (int i = 0; i < b.length && printable; i++) {
      printable = b[i] >= 0x20 && b[i] < 0x7f;
    }
    if (printable) {
      return '"' + new String(b, StandardCharsets.US_ASCII) + '"';
    }
    StringBuilder s = new StringBuilder("bytes[" + b.length + ": ");
    for (int i = 0; i < Math.min(8, b.length); i++) {
      s.append(String.format("%02x", b[i]));
    }
    return s.append(b.length > 8 ? "..]" : "]").toString();
  }
}
