package dev.larder.model;

import static dev.larder.model.Keyspace.showKey;
import static dev.larder.model.Run.same;
import static dev.larder.model.Run.sameMap;

import dev.larder.Cache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The operations that exist only at the top level: the rest of the counter and concatenation
 * calls, the bulk calls, the whole-cache calls, the clock, reopening the directory, and {@code
 * transact} itself.
 */
final class CacheOps {
  private CacheOps() {}

  private static List<String> names(List<Integer> indexes) {
    return indexes.stream().map(Keyspace::key).toList();
  }

  private static String show(List<Integer> indexes) {
    return indexes.stream().map(Keyspace::showKey).collect(Collectors.joining(", ", "[", "]"));
  }

  record Decr(int key, long delta) implements Op {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      r.touched(k);
      KeyOps.counter("decr", k, () -> r.model().decr(k, delta, now), () -> OptionalLong.of(r.cache().decr(k, delta)));
    }

    @Override
    public String toString() {
      return "decr " + showKey(key) + " " + delta;
    }
  }

  record IncrIfPresent(int key, long delta) implements Op {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      r.touched(k);
      KeyOps.counter("incrIfPresent", k, () -> r.model().incr(k, delta, false, now),
          () -> r.cache().incrIfPresent(k, delta));
    }

    @Override
    public String toString() {
      return "incrIfPresent " + showKey(key) + " " + delta;
    }
  }

  record Concat(int key, Val val, boolean atEnd) implements Op {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      byte[] part = val.bytes();
      r.touched(k);
      ModelEntry before = r.model().live(k, now);
      boolean got = atEnd ? r.cache().append(k, part) : r.cache().prepend(k, part);
      if (before != null) {
        boolean file = before.value().length + part.length >= Harness.BLOB_THRESHOLD;
        Stats.note("concat " + (before.value().length >= Harness.BLOB_THRESHOLD ? "file value" : "inline value")
            + (file ? " into a file" : " inline"));
      } else {
        Stats.note("concat missing");
      }
      boolean want = r.model().concat(k, part, atEnd, now);
      same(atEnd ? "append result" : "prepend result", want, got, "key " + showKey(key));
    }

    @Override
    public List<Op> simpler() {
      return val.smaller() == null ? List.of() : List.of(new Concat(key, val.smaller(), atEnd));
    }

    @Override
    public String toString() {
      return (atEnd ? "append " : "prepend ") + showKey(key) + " " + val;
    }
  }

  /** {@code putAll} of distinct keys, in this order. */
  record PutAll(List<Integer> keys, List<Val> vals, Opts opts) implements Op {
    @Override
    public void run(Run r) {
      long now = r.now();
      Map<String, byte[]> map = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        map.put(Keyspace.key(keys.get(i)), vals.get(i).bytes());
      }
      r.touched(map.keySet());
      if (opts.plain()) {
        r.cache().putAll(map);
      } else {
        r.cache().putAll(map, opts.toPut(now));
      }
      map.forEach((k, v) -> r.model().put(k, v, opts, now));
    }

    @Override
    public List<Op> simpler() {
      List<Op> out = new ArrayList<>();
      for (Opts o : KeyOps.simplerOpts(opts)) {
        out.add(new PutAll(keys, vals, o));
      }
      for (int i = 0; keys.size() > 1 && i < keys.size(); i++) {
        out.add(new PutAll(Op.with(keys, i, null), Op.with(vals, i, null), opts));
      }
      return out;
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("putAll {");
      for (int i = 0; i < keys.size(); i++) {
        s.append(i == 0 ? "" : ", ").append(showKey(keys.get(i))).append('=').append(vals.get(i));
      }
      return s.append('}').append(opts).toString();
    }
  }

  /** {@code deleteAll}; the list may name a key twice. */
  record DeleteAll(List<Integer> keys) implements Op {
    @Override
    public void run(Run r) {
      long now = r.now();
      List<String> ks = names(keys);
      r.touched(ks);
      int got = r.cache().deleteAll(ks);
      int want = 0;
      for (String k : ks) {
        want += r.model().delete(k, now) ? 1 : 0;
      }
      same("deleteAll count", want, got, "keys " + show(keys));
    }

    @Override
    public List<Op> simpler() {
      List<Op> out = new ArrayList<>();
      for (int i = 0; keys.size() > 1 && i < keys.size(); i++) {
        out.add(new DeleteAll(Op.with(keys, i, null)));
      }
      return out;
    }

    @Override
    public String toString() {
      return "deleteAll " + show(keys);
    }
  }

  record GetAll(List<Integer> keys) implements Op {
    @Override
    public void run(Run r) {
      List<String> ks = names(keys);
      sameMap("getAll", r.model().getAll(ks, r.now()), r.cache().getAll(ks), "keys " + show(keys));
    }

    @Override
    public String toString() {
      return "getAll " + show(keys);
    }
  }

  /** {@code keys()} when the prefix is null, else {@code keys(prefix)}. */
  record Keys(String prefix) implements Op {
    @Override
    public void run(Run r) {
      Cache<String, byte[]> c = r.cache();
      List<String> got = (prefix == null ? c.keys() : c.keys(prefix)).toList();
      List<String> want = r.model().keys(prefix, r.now());
      if (!Keyspace.sameKeys(want, got)) {
        throw new Mismatch(prefix == null ? "keys()" : "keys(prefix)", "prefix " + Keyspace.show(prefix)
            + ": expected " + Run.showKeys(want) + " but was " + Run.showKeys(got));
      }
    }

    @Override
    public String toString() {
      return "keys " + Keyspace.show(prefix);
    }
  }

  /**
   * {@code expire()}: it may remove no more than the expired entries the model holds (others may
   * have gone already), and afterwards {@code size()} is exact.
   */
  record Expire() implements Op {
    @Override
    public void run(Run r) {
      long now = r.now();
      long removed = r.cache().expire();
      int bound = r.model().expire(now);
      Stats.note(removed > 0 ? "expire removed some" : "expire removed none");
      if (removed < 0 || removed > bound) {
        throw new Mismatch("expire count", "removed " + removed + " entries; at most " + bound + " were expired");
      }
      same("size after expire", (long) r.model().held(), r.cache().size(), "");
      same("volume is 0 exactly when empty", r.model().held() == 0, r.cache().volume() == 0, "");
    }

    @Override
    public String toString() {
      return "expire";
    }
  }

  record Clear() implements Op {
    @Override
    public void run(Run r) {
      r.cache().clear();
      r.model().clear();
      same("size after clear", 0L, r.cache().size(), "");
      same("volume after clear", 0L, r.cache().volume(), "");
      r.touched(Keyspace.KEYS);
    }

    @Override
    public String toString() {
      return "clear";
    }
  }

  record Advance(long millis) implements Op {
    @Override
    public void run(Run r) {
      r.harness().clock().advanceMillis(millis);
    }

    @Override
    public String toString() {
      return "advance " + millis + "ms";
    }
  }

  /**
   * Advances the clock to one of the expiry times ahead (the {@code which}-th, modulo their
   * number) plus {@code offset}: 0 lands on the millisecond an entry becomes invisible, -1 on the
   * last one it is visible.
   */
  record AdvanceToExpiry(int which, long offset) implements Op {
    @Override
    public void run(Run r) {
      long now = r.now();
      List<Long> ahead = r.model().futureExpiries(now);
      if (ahead.isEmpty()) {
        return;
      }
      long target = ahead.get(which % ahead.size()) + offset;
      Stats.note("advance to an expiry" + (offset == 0 ? "" : " " + offset + "ms"));
      if (target > now) {
        r.harness().clock().advanceMillis(target - now);
      }
    }

    @Override
    public String toString() {
      return "advance to expiry #" + which + (offset == 0 ? "" : " " + offset + "ms");
    }
  }

  /** Closes the cache and opens the directory again; with {@code settings}, sets them again. */
  record Reopen(boolean settings) implements Op {
    @Override
    public void run(Run r) {
      r.harness().reopen(settings);
      Stats.note("reopen");
      r.harness().checkAll();
    }

    @Override
    public String toString() {
      return settings ? "reopen" : "reopen (keeping the directory's settings)";
    }
  }

  /** {@code get} or {@code put} on the cache from inside {@code transact}, which must refuse it. */
  record NestedCall(int key, boolean write) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      if (!r.inTransaction()) {
        return;
      }
      String k = Keyspace.key(key);
      Stats.note("cache call inside transact");
      Run.throwsError("a cache call inside transact", IllegalStateException.class, () -> {
        if (write) {
          r.cache().put(k, new byte[] {1});
        } else {
          r.cache().get(k);
        }
      });
    }

    @Override
    public String toString() {
      return "cache." + (write ? "put " : "get ") + showKey(key) + " (refused inside transact)";
    }
  }

  /** Thrown by the work of a transaction that is to roll back. */
  static final class Rollback extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rollback() {
      super("roll back", null, false, false);
    }
  }

  /**
   * {@code transact} running the inner operations on the transaction, each compared with a copy
   * of the model; the copy is taken over on commit and dropped when the work throws to roll back.
   */
  record Transact(List<Op.InTransaction> ops, boolean rollback) implements Op {
    @Override
    public void run(Run r) {
      Harness h = r.harness();
      Model before = r.model();
      int[] attempts = {0};
      Model[] after = new Model[1];
      Rollback signal = new Rollback();
      r.touched(Keyspace.KEYS);
      try {
        h.cache().transact(tx -> {
          // A fresh copy on every attempt: the work runs again if the data file must grow.
          Model m = before.copy();
          if (attempts[0]++ > 0) {
            Stats.note("transact work run again");
          }
          Target t = Target.of(tx);
          for (Op.InTransaction op : ops) {
            Run inner = new Run(h, t, m, true);
            op.run(inner);
            inner.verifyTouched();
          }
          if (rollback) {
            throw signal;
          }
          after[0] = m;
          return null;
        });
      } catch (Rollback e) {
        if (e != signal) {
          throw e;
        }
        Stats.note("transact rolled back");
        return; // the model stays as it was; verifyTouched compares every key with it
      }
      if (rollback) {
        throw new Mismatch("transact swallows the exception of its work", "it returned normally");
      }
      Stats.note("transact committed");
      before.restore(after[0]);
    }

    @Override
    public List<Op> simpler() {
      List<Op> out = new ArrayList<>();
      if (rollback) {
        out.add(new Transact(ops, false));
      }
      for (int i = 0; i < ops.size(); i++) {
        out.add(new Transact(Op.with(ops, i, null), rollback));
      }
      for (int i = 0; i < ops.size(); i++) {
        for (Op s : ops.get(i).simpler()) {
          if (s instanceof Op.InTransaction in) {
            out.add(new Transact(Op.with(ops, i, in), rollback));
          }
        }
      }
      return out;
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("transact" + (rollback ? " (work throws: roll back)" : "") + " {");
      for (Op op : ops) {
        s.append("\n  ").append(op);
      }
      return s.append("\n}").toString();
    }
  }
}
