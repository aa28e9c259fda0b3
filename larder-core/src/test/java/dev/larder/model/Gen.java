package dev.larder.model;

import dev.larder.Durability;
import dev.larder.EvictionPolicy;
import dev.larder.model.CacheOps.AdvanceToExpiry;
import dev.larder.model.KeyOps.Ver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws random sequences of operations from one seed. Everything random is decided here, before
 * anything runs; the operations only resolve references to the state (the current version, the
 * next expiry) when they run.
 */
final class Gen {
  private static final long[] TTLS = {1, 2, 50, 500, 1000, 2500, 5000, 60_000};
  private static final long[] EXPIRE_AT = {-5000, -1, 0, 1, 700, 3000};
  private static final String[] TAGS = {"t1", "t2", "tenant:7", "\u00e9t\u00e9"};
  private static final int[] FLAGS = {1, 7, -1, Integer.MIN_VALUE, Integer.MAX_VALUE};
  private static final String[] COUNTERS = {
      "0", "1", "42", "-17", "9223372036854775807", "9223372036854775806", "-9223372036854775808",
      "-9223372036854775807", "007"};
  private static final String[] TEXTS = {"", "x", "hello", "12a", "-", " ", "1.5", "99999999999999999999"};
  private static final int[] SIZES = {1, 7, 100, 511, 1000, 1020, 1023, 1024, 1025, 2000, 5000};

  private final Random rnd;

  Gen(long seed) {
    this.rnd = new Random(seed);
  }

  Harness.Config config() {
    EvictionPolicy policy = rnd.nextInt(4) == 0 ? EvictionPolicy.NONE : EvictionPolicy.LEAST_RECENTLY_STORED;
    long[] maps = {64 << 10, 256 << 10, 1 << 20, 16 << 20};
    Durability durability = rnd.nextInt(20) == 0 ? Durability.SYNC : Durability.PROCESS;
    return new Harness.Config(policy, maps[rnd.nextInt(maps.length)], durability);
  }

  List<Op> ops(int length) {
    List<Op> out = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      out.add(op());
    }
    return List.copyOf(out);
  }

  /** One operation; the weights favour writes and reads of single keys, then the clock. */
  Op op() {
    int roll = rnd.nextInt(1000);
    if ((roll -= 330) < 0) {
      return keyOp();
    }
    if ((roll -= 40) < 0) {
      return new CacheOps.Decr(key(), delta());
    }
    if ((roll -= 25) < 0) {
      return new CacheOps.IncrIfPresent(key(), delta());
    }
    if ((roll -= 55) < 0) {
      return new CacheOps.Concat(key(), val(), rnd.nextBoolean());
    }
    if ((roll -= 35) < 0) {
      List<Integer> keys = distinctKeys(1 + rnd.nextInt(4));
      List<Val> vals = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        vals.add(val());
      }
      return new CacheOps.PutAll(keys, List.copyOf(vals), opts());
    }
    if ((roll -= 25) < 0) {
      return new CacheOps.DeleteAll(someKeys(1 + rnd.nextInt(4)));
    }
    if ((roll -= 25) < 0) {
      return new CacheOps.GetAll(someKeys(1 + rnd.nextInt(5)));
    }
    if ((roll -= 40) < 0) {
      return new CacheOps.Keys(Keyspace.PREFIXES.get(rnd.nextInt(Keyspace.PREFIXES.size())));
    }
    if ((roll -= 35) < 0) {
      return new CacheOps.Expire();
    }
    if ((roll -= 100) < 0) {
      return new CacheOps.Advance(rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(5000));
    }
    if ((roll -= 50) < 0) {
      return new AdvanceToExpiry(rnd.nextInt(4), rnd.nextInt(3) == 0 ? -1 : 0);
    }
    if ((roll -= 20) < 0) {
      return new CacheOps.Reopen(rnd.nextInt(3) != 0);
    }
    if ((roll -= 8) < 0) {
      return new CacheOps.Clear();
    }
    if ((roll -= 60) < 0) {
      List<Op.InTransaction> inner = new ArrayList<>();
      int n = 1 + rnd.nextInt(5);
      for (int i = 0; i < n; i++) {
        inner.add(rnd.nextInt(15) == 0 ? new CacheOps.NestedCall(key(), rnd.nextBoolean()) : keyOp());
      }
      return new CacheOps.Transact(List.copyOf(inner), rnd.nextInt(10) < 3);
    }
    return keyOp();
  }

  /** A single-key operation, usable inside a transaction. */
  Op.InTransaction keyOp() {
    int roll = rnd.nextInt(100);
    int key = key();
    if ((roll -= 22) < 0) {
      return new KeyOps.Put(key, val(), opts());
    }
    if ((roll -= 7) < 0) {
      return new KeyOps.Add(key, val(), opts());
    }
    if ((roll -= 7) < 0) {
      return new KeyOps.Replace(key, val(), opts());
    }
    if ((roll -= 10) < 0) {
      Ver ver = rnd.nextInt(3) != 0 ? Ver.CURRENT : Ver.values()[1 + rnd.nextInt(3)];
      return new KeyOps.Cas(key, ver, val(), opts());
    }
    if ((roll -= 7) < 0) {
      return new KeyOps.Delete(key);
    }
    if ((roll -= 5) < 0) {
      return new KeyOps.Pop(key);
    }
    if ((roll -= 9) < 0) {
      return new KeyOps.Get(key);
    }
    if ((roll -= 5) < 0) {
      return new KeyOps.GetEntry(key);
    }
    if ((roll -= 4) < 0) {
      return new KeyOps.ContainsKey(key);
    }
    if ((roll -= 8) < 0) {
      long ttl = TTLS[rnd.nextInt(TTLS.length)];
      return new KeyOps.Touch(key, ttl);
    }
    if ((roll -= 4) < 0) {
      return new KeyOps.Persist(key);
    }
    return new KeyOps.Incr(key, delta());
  }

  int key() {
    return rnd.nextInt(Keyspace.KEYS.size());
  }

  /** Keys for deleteAll and getAll: sometimes one twice. */
  List<Integer> someKeys(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(key());
    }
    return List.copyOf(out);
  }

  List<Integer> distinctKeys(int n) {
    List<Integer> out = new ArrayList<>();
    while (out.size() < n) {
      int k = key();
      if (!out.contains(k)) {
        out.add(k);
      }
    }
    return List.copyOf(out);
  }

  Val val() {
    int roll = rnd.nextInt(100);
    if (roll < 30) {
      return Val.text(COUNTERS[rnd.nextInt(COUNTERS.length)]);
    }
    if (roll < 45) {
      return Val.text(TEXTS[rnd.nextInt(TEXTS.length)]);
    }
    return Val.random(SIZES[rnd.nextInt(SIZES.length)], rnd.nextInt(1000));
  }

  long delta() {
    int roll = rnd.nextInt(20);
    if (roll < 14) {
      return rnd.nextInt(21) - 10;
    }
    long[] edges = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 1L << 62, -(1L << 62)};
    return edges[rnd.nextInt(edges.length)];
  }

  Opts opts() {
    int roll = rnd.nextInt(100);
    if (roll < 45) {
      return rnd.nextInt(10) == 0 ? new Opts(0, null, List.of(), 0, true) : Opts.PLAIN;
    }
    long ttl = 0;
    Long at = null;
    int expiry = rnd.nextInt(10);
    if (expiry < 5) {
      ttl = TTLS[rnd.nextInt(TTLS.length)];
    } else if (expiry < 8) {
      at = EXPIRE_AT[rnd.nextInt(EXPIRE_AT.length)];
    }
    List<String> tags = new ArrayList<>();
    if (rnd.nextInt(3) == 0) {
      for (String t : TAGS) {
        if (rnd.nextBoolean()) {
          tags.add(t);
        }
      }
    }
    int flags = rnd.nextInt(3) == 0 ? FLAGS[rnd.nextInt(FLAGS.length)] : 0;
    return new Opts(ttl, at, List.copyOf(tags), flags, rnd.nextInt(5) == 0);
  }
}
