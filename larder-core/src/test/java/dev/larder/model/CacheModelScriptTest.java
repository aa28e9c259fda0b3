package dev.larder.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.model.CacheOps.Advance;
import dev.larder.model.CacheOps.AdvanceToExpiry;
import dev.larder.model.CacheOps.Clear;
import dev.larder.model.CacheOps.Concat;
import dev.larder.model.CacheOps.Decr;
import dev.larder.model.CacheOps.DeleteAll;
import dev.larder.model.CacheOps.Expire;
import dev.larder.model.CacheOps.GetAll;
import dev.larder.model.CacheOps.IncrIfPresent;
import dev.larder.model.CacheOps.Keys;
import dev.larder.model.CacheOps.NestedCall;
import dev.larder.model.CacheOps.PutAll;
import dev.larder.model.CacheOps.Reopen;
import dev.larder.model.CacheOps.Transact;
import dev.larder.model.Harness.Failure;
import dev.larder.model.KeyOps.Add;
import dev.larder.model.KeyOps.Cas;
import dev.larder.model.KeyOps.ContainsKey;
import dev.larder.model.KeyOps.Delete;
import dev.larder.model.KeyOps.Get;
import dev.larder.model.KeyOps.GetEntry;
import dev.larder.model.KeyOps.Incr;
import dev.larder.model.KeyOps.Persist;
import dev.larder.model.KeyOps.Pop;
import dev.larder.model.KeyOps.Put;
import dev.larder.model.KeyOps.Replace;
import dev.larder.model.KeyOps.Touch;
import dev.larder.model.KeyOps.Ver;
import dev.larder.testkit.Invariants;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-written sequence that runs every operation of the model tests at least once, through the
 * same harness, with the expected state worked out by hand at several points. It proves that the
 * model itself is right on each operation (the hand-made expectations hold on the model) and that
 * the cache agrees with it (the harness compares them after every step); it also covers the
 * harness and the shrinker predictably, where the random test covers them by chance.
 */
class CacheModelScriptTest {
  // Indexes into Keyspace.KEYS.
  static final int A = 0;
  static final int AB = 1;
  static final int ABC = 2;
  static final int B = 3;
  static final int USER1 = 4;
  static final int USER10 = 5;
  static final int HALFWIDTH = 6;
  static final int EMOJI = 7;
  static final int L500 = 8;
  static final int LONG1 = 9;
  static final int LONG2 = 10;

  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path dir;
  private Harness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  /** Checks the model (not the cache) against a hand-computed value: null for absent. */
  record ModelHas(int key, String value) implements Op {
    @Override
    public void run(Run r) {
      byte[] got = r.model().get(Keyspace.key(key), r.now());
      assertThat(got == null ? null : new String(got, UTF_8)).as("model value of %s", Keyspace.showKey(key))
          .isEqualTo(value);
    }

    @Override
    public String toString() {
      return "model has " + Keyspace.showKey(key) + " = " + value;
    }
  }

  /** Checks the model's live keys against a hand-computed list, in order. */
  record ModelKeys(List<Integer> keys) implements Op {
    @Override
    public void run(Run r) {
      List<String> want = keys.stream().map(Keyspace::key).toList();
      assertThat(r.model().keys(null, r.now())).as("model keys").isEqualTo(want);
    }

    @Override
    public String toString() {
      return "model keys " + keys;
    }
  }

  static Val t(String text) {
    return Val.text(text);
  }

  static List<Op> script() {
    return List.of(
        new Put(A, t("1"), Opts.PLAIN),
        new Put(AB, t("hello"), Opts.ttl(1000).withTags("t1").withFlags(7)),
        new Put(ABC, Val.random(2000, 1), Opts.PLAIN), // a value file
        new Add(A, t("x"), Opts.PLAIN), // refused: live
        new Add(B, t("10"), Opts.PLAIN),
        new Replace(USER1, t("u"), Opts.PLAIN), // refused: missing
        new Replace(A, t("2"), new Opts(0, null, List.of(), 0, true)),
        new Get(A),
        new GetEntry(AB),
        new ContainsKey(ABC),
        new ModelHas(A, "2"),
        new Cas(A, Ver.CURRENT, t("3"), Opts.PLAIN), // STORED
        new Cas(A, Ver.STALE, t("4"), Opts.PLAIN), // EXISTS
        new Cas(USER1, Ver.CURRENT, t("5"), Opts.PLAIN), // NOT_FOUND
        new ModelHas(A, "3"),
        new Incr(B, 5),
        new Decr(B, 20),
        new IncrIfPresent(USER10, 1), // missing: stays missing
        new IncrIfPresent(B, 1),
        new ModelHas(B, "-4"),
        new ModelHas(USER10, null),
        new Incr(AB, 1), // "hello": SerializationException, nothing changes
        new Put(USER10, t("9223372036854775806"), Opts.PLAIN),
        new Incr(USER10, 1),
        new Incr(USER10, 1), // overflow: ArithmeticException, nothing changes
        new Decr(USER10, Long.MIN_VALUE), // refused today (DecrBugTest)
        new ModelHas(USER10, "9223372036854775807"),
        new Concat(AB, t(" world"), true),
        new Concat(ABC, t("x"), false), // prepend to a value file
        new Concat(A, Val.random(1100, 2), true), // the result goes to a file
        new Concat(EMOJI, t("z"), true), // missing
        new ModelHas(AB, "hello world"),
        new Touch(AB, 500), // keeps tags and flags
        new Persist(AB),
        new PutAll(List.of(USER1, HALFWIDTH), List.of(t("u1"), t("w")), Opts.ttl(3000)),
        new GetAll(List.of(A, AB, USER1, B, EMOJI, B)),
        new Keys("user:1"),
        new Keys(null),
        new ModelKeys(List.of(A, AB, ABC, B, USER1, USER10, HALFWIDTH)),
        new DeleteAll(List.of(B, B, EMOJI)), // 1
        new Pop(USER10),
        new Delete(A),
        new ModelKeys(List.of(AB, ABC, USER1, HALFWIDTH)),
        new Transact(List.of(
            new Put(EMOJI, t("e"), Opts.PLAIN),
            new Incr(B, 1),
            new Get(EMOJI),
            new NestedCall(A, false),
            new NestedCall(A, true),
            new Cas(EMOJI, Ver.CURRENT, t("e2"), Opts.PLAIN),
            new Touch(EMOJI, 10_000),
            new Persist(EMOJI),
            new Pop(AB),
            new Add(AB, t("again"), Opts.PLAIN),
            new Replace(AB, t("again2"), Opts.PLAIN),
            new GetEntry(EMOJI),
            new ContainsKey(B),
            new Delete(ABC)), false),
        new ModelHas(EMOJI, "e2"),
        new ModelHas(B, "1"),
        new ModelHas(AB, "again2"),
        new ModelHas(ABC, null),
        new Transact(List.of(new Delete(AB), new Put(A, t("gone"), Opts.PLAIN)), true), // rolled back
        new ModelHas(AB, "again2"),
        new ModelHas(A, null),
        new AdvanceToExpiry(0, -1), // the last millisecond USER1 and HALFWIDTH are visible
        new ModelHas(USER1, "u1"),
        new AdvanceToExpiry(0, 0), // the millisecond they expire
        new ModelHas(USER1, null),
        new Expire(),
        new Put(L500, t("long-ish"), Opts.ttl(100)),
        new Put(LONG1, t("L1"), Opts.PLAIN.withTags("t2")),
        new Put(LONG2, Val.random(1500, 3), Opts.PLAIN),
        new Reopen(true),
        new Reopen(false),
        new Keys("L"),
        new Keys("L" + "x".repeat(600)),
        new Advance(100), // L500 expires
        new Keys("L"),
        new Put(EMOJI, t("x"), Opts.expireAt(0)), // expiry at now: removes the entry
        new Put(A, t("x"), Opts.expireAt(-1000)), // in the past, nothing to remove
        new ModelKeys(List.of(LONG1, LONG2, AB, B)), // "L" sorts before "a"
        new Clear(),
        new ModelKeys(List.of()),
        new Put(A, t("after clear"), Opts.PLAIN),
        new GetEntry(A));
  }

  @Test
  void script_everyOperation_cacheAgreesWithHandCheckedModel() {
    List<Op> ops = script();
    harness = new Harness(dir.resolve("cache"), Harness.Config.DEFAULT, 5, UnaryOperator.identity());
    invariants.register("check", () -> harness.cache().check(false));

    Failure f = harness.execute(ops);

    assertThat(f).as(() -> f.where() + ": " + f.error() + "\n" + Op.list(ops)).isNull();
    assertThat(harness.model().keys(null, harness.clock().millis())).containsExactly("a");
  }

  /** Every operation type of the model tests appears in the script. */
  @Test
  void script_everyOperationType_appearsAtLeastOnce() {
    List<String> seen = script().stream()
        .flatMap(op -> op instanceof Transact t ? Stream.concat(Stream.of(op), t.ops().stream()) : Stream.of(op))
        .map(op -> op.getClass().getSimpleName())
        .distinct()
        .toList();
    List<String> all = Stream.of(KeyOps.class, CacheOps.class)
        .flatMap(c -> Arrays.stream(c.getDeclaredClasses()))
        .filter(Op.class::isAssignableFrom)
        .map(Class::getSimpleName)
        .toList();

    assertThat(seen).containsAll(all);
  }

  /** The harness reports a model that disagrees, and the shrinker cuts the sequence to the cause. */
  @Test
  void shrink_sequenceWithOneWrongExpectation_keepsOnlyWhatTheFailureNeeds() {
    List<Op> ops = List.of(
        new Put(A, t("1"), Opts.PLAIN),
        new Put(B, t("2"), Opts.PLAIN),
        new Incr(A, 1),
        new Get(B),
        new Delete(B),
        new ModelHas(A, null), // wrong: it is "2"
        new Put(AB, t("3"), Opts.PLAIN));
    Path trials = dir.resolve("trials");
    Failure f = Harness.trial(trials, "first", Harness.Config.DEFAULT, ops, 10, UnaryOperator.identity());
    assertThat(f).isNotNull();
    assertThat(f.index()).isEqualTo(5);

    int[] n = {0};
    Shrinker shrinker = new Shrinker(
        c -> Harness.trial(trials, "s" + n[0]++, Harness.Config.DEFAULT, c, 10, UnaryOperator.identity()),
        f.kind(), 100, 30_000);
    List<Op> small = shrinker.shrink(ops, f);

    assertThat(small).containsExactly(new Put(A, t("0"), Opts.PLAIN), new ModelHas(A, null));
  }
}
