package dev.larder.model;

import static dev.larder.model.Keyspace.showKey;
import static dev.larder.model.Run.same;
import static dev.larder.model.Run.sameBytes;

import dev.larder.CasResult;
import dev.larder.SerializationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The single-key operations, which run at the top level and inside {@code transact} alike. Each
 * runs the call on the target and on the model at the same clock reading and compares the
 * results; the entries they touch are compared afterwards by {@link Run#verifyTouched()}.
 */
final class KeyOps {
  private KeyOps() {}

  /** Which version a {@code cas} passes, resolved from the model when it runs. */
  enum Ver {
    /** The entry's current version (or, for a missing key, some other real version). */
    CURRENT,
    /** One below the current version: a stale read. */
    STALE,
    /** One above the highest version handed out so far. */
    NEXT,
    ZERO
  }

  /** Options variants for shrinking: no options, then the same with fewer parts. */
  static List<Opts> simplerOpts(Opts opts) {
    List<Opts> out = new ArrayList<>();
    if (!opts.plain()) {
      out.add(Opts.PLAIN);
    }
    if (opts.ttlMillis() > 0 || opts.expireAtDelta() != null) {
      Opts noExpiry = new Opts(0, null, opts.tags(), opts.flags(), opts.explicit());
      if (!noExpiry.equals(Opts.PLAIN)) {
        out.add(noExpiry);
      }
      Opts expiryOnly = new Opts(opts.ttlMillis(), opts.expireAtDelta(), List.of(), 0, false);
      if (!expiryOnly.equals(opts)) {
        out.add(expiryOnly);
      }
    }
    return out;
  }

  static List<Op> simplerWrites(Val val, Opts opts, BiFunction<Val, Opts, Op> make) {
    List<Op> out = new ArrayList<>();
    for (Opts o : simplerOpts(opts)) {
      out.add(make.apply(val, o));
    }
    if (val.smaller() != null) {
      out.add(make.apply(val.smaller(), opts));
    }
    return out;
  }

  record Put(int key, Val val, Opts opts) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      byte[] v = val.bytes();
      r.touched(k);
      r.target().put(k, v, opts, now);
      r.model().put(k, v, opts, now);
      Stats.note(opts.expiresAt(now) != 0 && opts.expiresAt(now) <= now ? "put expiring at once (removes)"
          : v.length >= Harness.BLOB_THRESHOLD ? "put value file" : "put inline");
    }

    @Override
    public List<Op> simpler() {
      return simplerWrites(val, opts, (v, o) -> new Put(key, v, o));
    }

    @Override
    public String toString() {
      return "put " + showKey(key) + " " + val + opts;
    }
  }

  record Add(int key, Val val, Opts opts) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      byte[] v = val.bytes();
      r.touched(k);
      boolean got = r.target().add(k, v, opts, now);
      Stats.note("add " + (got ? "stored" : "refused"));
      same("add result", r.model().add(k, v, opts, now), got, "key " + showKey(key));
    }

    @Override
    public List<Op> simpler() {
      return simplerWrites(val, opts, (v, o) -> new Add(key, v, o));
    }

    @Override
    public String toString() {
      return "add " + showKey(key) + " " + val + opts;
    }
  }

  record Replace(int key, Val val, Opts opts) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      byte[] v = val.bytes();
      r.touched(k);
      boolean got = r.target().replace(k, v, opts, now);
      Stats.note("replace " + (got ? "stored" : "refused"));
      same("replace result", r.model().replace(k, v, opts, now), got, "key " + showKey(key));
    }

    @Override
    public List<Op> simpler() {
      return simplerWrites(val, opts, (v, o) -> new Replace(key, v, o));
    }

    @Override
    public String toString() {
      return "replace " + showKey(key) + " " + val + opts;
    }
  }

  record Cas(int key, Ver ver, Val val, Opts opts) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      byte[] v = val.bytes();
      ModelEntry e = r.model().stored(k);
      long current = e != null ? e.version() : r.model().maxVersion();
      long version = switch (ver) {
        case CURRENT -> current;
        case STALE -> current - 1;
        case NEXT -> r.model().maxVersion() + 1;
        case ZERO -> 0;
      };
      r.touched(k);
      CasResult got = r.target().cas(k, version, v, opts, now);
      Stats.note("cas " + ver + " " + got);
      same("cas result", r.model().cas(k, version, v, opts, now), got, "key " + showKey(key) + " version " + version);
    }

    @Override
    public List<Op> simpler() {
      return simplerWrites(val, opts, (v, o) -> new Cas(key, ver, v, o));
    }

    @Override
    public String toString() {
      return "cas " + showKey(key) + " version=" + ver + " " + val + opts;
    }
  }

  record Delete(int key) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      r.touched(k);
      boolean got = r.target().delete(k);
      same("delete result", r.model().delete(k, now), got, "key " + showKey(key));
    }

    @Override
    public String toString() {
      return "delete " + showKey(key);
    }
  }

  record Pop(int key) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      r.touched(k);
      byte[] got = r.target().pop(k);
      sameBytes("pop result", r.model().pop(k, now), got, "key " + showKey(key));
    }

    @Override
    public String toString() {
      return "pop " + showKey(key);
    }
  }

  record Get(int key) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      sameBytes("get", r.model().get(k, r.now()), r.target().get(k), "key " + showKey(key));
    }

    @Override
    public String toString() {
      return "get " + showKey(key);
    }
  }

  record GetEntry(int key) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      r.verifyKey(Keyspace.key(key), new HashSet<>());
    }

    @Override
    public String toString() {
      return "getEntry " + showKey(key);
    }
  }

  record ContainsKey(int key) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      same("containsKey", r.model().live(k, r.now()) != null, r.target().containsKey(k), "key " + showKey(key));
    }

    @Override
    public String toString() {
      return "containsKey " + showKey(key);
    }
  }

  record Touch(int key, long ttlMillis) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      r.touched(k);
      boolean got = r.target().touch(k, Duration.ofMillis(ttlMillis));
      Stats.note("touch " + (got ? "live" : "missing"));
      same("touch result", r.model().touch(k, ttlMillis, now), got, "key " + showKey(key));
    }

    @Override
    public String toString() {
      return "touch " + showKey(key) + " ttl=" + ttlMillis + "ms";
    }
  }

  record Persist(int key) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      r.touched(k);
      boolean got = r.target().persist(k);
      same("persist result", r.model().persist(k, now), got, "key " + showKey(key));
    }

    @Override
    public String toString() {
      return "persist " + showKey(key);
    }
  }

  record Incr(int key, long delta) implements Op.InTransaction {
    @Override
    public void run(Run r) {
      String k = Keyspace.key(key);
      long now = r.now();
      r.touched(k);
      counter("incr", k, () -> r.model().incr(k, delta, true, now), () -> OptionalLong.of(r.target().incr(k, delta)));
    }

    @Override
    public List<Op> simpler() {
      return delta == 1 ? List.of() : List.of(new Incr(key, 1));
    }

    @Override
    public String toString() {
      return "incr " + showKey(key) + " " + delta;
    }
  }

  /**
   * Runs a counter operation on the model and the cache: both must return the same number, or
   * both throw the same kind of exception (and then the model is unchanged, as the cache must be).
   */
  static void counter(String what, String key, Supplier<OptionalLong> model, Supplier<OptionalLong> cache) {
    OptionalLong want;
    try {
      want = model.get();
    } catch (SerializationException | ArithmeticException e) {
      Stats.note(what + " " + e.getClass().getSimpleName());
      Run.throwsError(what, e.getClass(), cache::get);
      return;
    }
    Stats.note(what + (want.isPresent() ? " counted" : " missing"));
    same(what + " result", want, cache.get(), "key " + Keyspace.show(key));
  }
}
