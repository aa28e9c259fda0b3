package dev.larder;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.testkit.Invariants;
import dev.larder.testkit.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of {@link Cache}, run over a matrix of value sizes (inline values and values in
 * files) and durabilities. Every test ends with {@code check(false)} finding nothing.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("configs")
class CacheContractTest {

  record Config(String name, int valueSize, Durability durability) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Config> configs() {
    return Stream.of(
        new Config("inline-process", 100, Durability.PROCESS),
        new Config("inline-sync", 100, Durability.SYNC),
        new Config("file-process", 2_000, Durability.PROCESS),
        new Config("file-sync", 2_000, Durability.SYNC));
  }

  static final int THRESHOLD = 1024;

  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path dir;

  private final Config config;
  private final ManualClock clock = new ManualClock();
  private Cache<String, byte[]> cache;

  CacheContractTest(Config config) {
    this.config = config;
  }

  @BeforeEach
  void open() {
    cache = open(dir);
    invariants.register("check", () -> cache.check(false));
  }

  private Cache<String, byte[]> open(Path d) {
    return Larder.builder(d).durability(config.durability()).blobThreshold(THRESHOLD).clock(clock).open();
  }

  @AfterEach
  void close() {
    cache.close();
  }

  private byte[] value(int seed) {
    byte[] v = new byte[config.valueSize()];
    new Random(seed).nextBytes(v);
    return v;
  }

  private boolean inFiles() {
    return config.valueSize() >= THRESHOLD;
  }

  private long blobFiles() throws IOException {
    Path blobs = dir.resolve("blobs");
    if (!Files.exists(blobs)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(blobs)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void get_missingKey_returnsNull() {
    assertThat(cache.get("nope")).isNull();
    assertThat(cache.getEntry("nope")).isNull();
    assertThat(cache.containsKey("nope")).isFalse();
    assertThat(cache.open("nope")).isNull();
  }

  @Test
  void put_thenGet_returnsValue() throws IOException {
    cache.put("k", value(1));
    assertThat(cache.get("k")).isEqualTo(value(1));
    assertThat(cache.containsKey("k")).isTrue();
    assertThat(cache.size()).isEqualTo(1);
    assertThat(blobFiles()).isEqualTo(inFiles() ? 1 : 0);
  }

  @Test
  void put_existingKey_replacesValueAndDropsOldFile() throws IOException {
    cache.put("k", value(1));
    cache.put("k", value(2));
    assertThat(cache.get("k")).isEqualTo(value(2));
    assertThat(cache.size()).isEqualTo(1);
    assertThat(blobFiles()).isEqualTo(inFiles() ? 1 : 0);
  }

  @Test
  void put_emptyValue_roundTrips() {
    cache.put("empty", new byte[0]);
    assertThat(cache.get("empty")).isEmpty();
  }

  @Test
  void getEntry_returnsMetadata() {
    cache.put("k", value(1), Put.ttl(Duration.ofMinutes(5)).withTags("b", "a").withFlags(42));
    Entry<String, byte[]> e = cache.getEntry("k");
    assertThat(e.key()).isEqualTo("k");
    assertThat(e.value()).isEqualTo(value(1));
    assertThat(e.storedAt()).isEqualTo(clock.instant());
    assertThat(e.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(e.tags()).containsExactlyInAnyOrder("a", "b");
    assertThat(e.flags()).isEqualTo(42);
    cache.put("k", value(2));
    Entry<String, byte[]> e2 = cache.getEntry("k");
    assertThat(e2.version()).isGreaterThan(e.version());
    assertThat(e2.expiresAt()).isNull();
    assertThat(e2.tags()).isEmpty();
  }

  @Test
  void add_onlyWhenAbsentOrExpired() {
    assertThat(cache.add("k", value(1), Put.ttl(Duration.ofSeconds(10)))).isTrue();
    assertThat(cache.add("k", value(2))).isFalse();
    assertThat(cache.get("k")).isEqualTo(value(1));
    clock.advance(Duration.ofSeconds(10));
    assertThat(cache.add("k", value(3))).isTrue();
    assertThat(cache.get("k")).isEqualTo(value(3));
  }

  @Test
  void replace_onlyWhenPresent() {
    assertThat(cache.replace("k", value(1))).isFalse();
    assertThat(cache.get("k")).isNull();
    cache.put("k", value(1));
    assertThat(cache.replace("k", value(2))).isTrue();
    assertThat(cache.get("k")).isEqualTo(value(2));
  }

  @Test
  void cas_storesOnlyForTheVersionRead() {
    assertThat(cache.cas("k", 1, value(1))).isEqualTo(CasResult.NOT_FOUND);
    cache.put("k", value(1));
    long version = cache.getEntry("k").version();
    assertThat(cache.cas("k", version, value(2))).isEqualTo(CasResult.STORED);
    assertThat(cache.cas("k", version, value(3))).isEqualTo(CasResult.EXISTS);
    assertThat(cache.get("k")).isEqualTo(value(2));
  }

  @Test
  void delete_removesAndReportsWhetherLive() throws IOException {
    cache.put("k", value(1));
    assertThat(cache.delete("k")).isTrue();
    assertThat(cache.delete("k")).isFalse();
    assertThat(cache.get("k")).isNull();
    assertThat(cache.size()).isZero();
    assertThat(cache.volume()).isZero();
    assertThat(blobFiles()).isZero();
  }

  @Test
  void pop_returnsValueOnce() throws IOException {
    cache.put("k", value(1));
    assertThat(cache.pop("k")).isEqualTo(value(1));
    assertThat(cache.pop("k")).isNull();
    assertThat(blobFiles()).isZero();
  }

  @Test
  void expiry_hidesEntryAtOnceAndExpireSweeps() {
    cache.put("short", value(1), Duration.ofSeconds(1));
    cache.put("long", value(2), Duration.ofHours(1));
    cache.put("forever", value(3));
    clock.advance(Duration.ofMillis(999));
    assertThat(cache.get("short")).isEqualTo(value(1));
    clock.advance(Duration.ofMillis(1));
    assertThat(cache.get("short")).isNull();
    assertThat(cache.containsKey("short")).isFalse();
    assertThat(cache.keys().toList()).containsExactly("forever", "long");
    assertThat(cache.expire()).isEqualTo(1);
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.stats().expirations()).isEqualTo(1);
  }

  @Test
  void putWithPastExpiry_removesEntry() {
    cache.put("k", value(1));
    cache.put("k", value(2), Put.expireAt(clock.instant().minusSeconds(1)));
    assertThat(cache.get("k")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void touch_andPersist_changeExpiryOnly() {
    cache.put("k", value(1), Put.ttl(Duration.ofSeconds(5)).withTags("t"));
    long version = cache.getEntry("k").version();
    assertThat(cache.touch("k", Duration.ofMinutes(1))).isTrue();
    clock.advance(Duration.ofSeconds(30));
    Entry<String, byte[]> e = cache.getEntry("k");
    assertThat(e.value()).isEqualTo(value(1));
    assertThat(e.version()).isEqualTo(version);
    assertThat(e.tags()).containsExactly("t");
    assertThat(cache.persist("k")).isTrue();
    clock.advance(Duration.ofDays(400));
    assertThat(cache.getEntry("k").expiresAt()).isNull();
    assertThat(cache.touch("missing", Duration.ofSeconds(1))).isFalse();
    assertThat(cache.persist("missing")).isFalse();
  }

  @Test
  void incr_countsAsDecimalText() {
    assertThat(cache.incr("n", 5)).isEqualTo(5);
    assertThat(cache.incr("n", 10)).isEqualTo(15);
    assertThat(cache.decr("n", 20)).isEqualTo(-5);
    assertThat(new String(cache.get("n"), UTF_8)).isEqualTo("-5");
    cache.put("text", "41".getBytes(UTF_8), Duration.ofMinutes(1));
    assertThat(cache.incr("text", 1)).isEqualTo(42);
    assertThat(cache.getEntry("text").expiresAt()).isNotNull();
    assertThat(cache.incrIfPresent("absent", 1)).isEmpty();
    assertThat(cache.get("absent")).isNull();
    assertThat(cache.incrIfPresent("n", 1)).hasValue(-4);
  }

  @Test
  void incr_nonNumericOrOverflow_failsAndChangesNothing() {
    cache.put("v", value(1));
    assertThatThrownBy(() -> cache.incr("v", 1)).isInstanceOf(SerializationException.class);
    assertThat(cache.get("v")).isEqualTo(value(1));
    cache.put("max", Long.toString(Long.MAX_VALUE).getBytes(UTF_8));
    assertThatThrownBy(() -> cache.incr("max", 1)).isInstanceOf(ArithmeticException.class);
    assertThat(new String(cache.get("max"), UTF_8)).isEqualTo(Long.toString(Long.MAX_VALUE));
  }

  @Test
  void appendAndPrepend_keepMetadata() {
    assertThat(cache.append("k", value(1))).isFalse();
    cache.put("k", value(1), Put.ttl(Duration.ofMinutes(1)).withFlags(7));
    assertThat(cache.append("k", value(2))).isTrue();
    assertThat(cache.prepend("k", value(3))).isTrue();
    byte[] expected = concat(value(3), value(1), value(2));
    Entry<String, byte[]> e = cache.getEntry("k");
    assertThat(e.value()).isEqualTo(expected);
    assertThat(e.flags()).isEqualTo(7);
    assertThat(e.expiresAt()).isNotNull();
  }

  @Test
  void append_crossingTheThreshold_movesValueToFile() throws IOException {
    byte[] small = new byte[THRESHOLD - 10];
    cache.put("k", small);
    assertThat(cache.append("k", new byte[20])).isTrue();
    assertThat(cache.get("k")).hasSize(THRESHOLD + 10);
    assertThat(blobFiles()).isEqualTo(1);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void getAllPutAllDeleteAll_actOnMany() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      m.put("k" + i, value(i));
    }
    cache.putAll(m);
    Map<String, byte[]> got = cache.getAll(List.of("k1", "k5", "missing"));
    assertThat(got).containsOnlyKeys("k1", "k5");
    assertThat(got.get("k5")).isEqualTo(value(5));
    assertThat(cache.deleteAll(List.of("k1", "k2", "missing"))).isEqualTo(2);
    assertThat(cache.size()).isEqualTo(8);
  }

  @Test
  void keys_areSortedAndFilterByPrefix() {
    for (String k : List.of("b", "a2", "c", "a1", "ab")) {
      cache.put(k, value(1));
    }
    assertThat(cache.keys().toList()).containsExactly("a1", "a2", "ab", "b", "c");
    assertThat(cache.keys("a").toList()).containsExactly("a1", "a2", "ab");
    assertThat(cache.keys("z").toList()).isEmpty();
  }

  @Test
  void keys_spanningManyBatches_allReturned() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < 1000; i++) {
      m.put(String.format("key-%04d", i), new byte[1]);
    }
    cache.putAll(m);
    List<String> keys = cache.keys().toList();
    assertThat(keys).hasSize(1000).isSorted();
  }

  @Test
  void longKeys_beyondLmdbLimit_workAndStayDistinct() {
    String prefix = "p".repeat(600);
    String a = prefix + "a";
    String b = prefix + "b";
    cache.put(a, value(1));
    cache.put(b, value(2));
    assertThat(cache.get(a)).isEqualTo(value(1));
    assertThat(cache.get(b)).isEqualTo(value(2));
    assertThat(cache.get(prefix + "c")).isNull();
    assertThat(cache.keys(prefix).toList()).containsExactlyInAnyOrder(a, b);
    assertThat(cache.delete(a)).isTrue();
    assertThat(cache.get(b)).isEqualTo(value(2));
  }

  @Test
  void keysOfDifferentTypes_doNotCollide() {
    try (Cache<Long, String> longs = Larder.builder(dir).durability(config.durability()).clock(clock)
        .keyCodec(Codec.int64()).valueCodec(Codec.string()).open()) {
      cache.put("1", value(1));
      longs.put(1L, "one");
      longs.put(-5L, "minus five");
      longs.put(300L, "three hundred");
      assertThat(cache.get("1")).isEqualTo(value(1));
      assertThat(longs.get(1L)).isEqualTo("one");
      assertThat(longs.keys().toList()).containsExactly(-5L, 1L, 300L);
      assertThat(cache.keys().toList()).containsExactly("1");
      assertThat(cache.size()).isEqualTo(4);
    }
  }

  @Test
  void clear_removesEverythingAndTheFiles() throws IOException {
    for (int i = 0; i < 20; i++) {
      cache.put("k" + i, value(i), Put.ttl(Duration.ofMinutes(1)).withTags("t"));
    }
    cache.clear();
    assertThat(cache.size()).isZero();
    assertThat(cache.volume()).isZero();
    assertThat(cache.keys().toList()).isEmpty();
    assertThat(blobFiles()).isZero();
    cache.put("after", value(1));
    assertThat(cache.get("after")).isEqualTo(value(1));
  }

  @Test
  void transact_commitsAllOrNothing() {
    cache.put("a", value(1));
    long n = cache.transact(tx -> {
      tx.put("b", value(2));
      tx.delete("a");
      return tx.incr("n", 3);
    });
    assertThat(n).isEqualTo(3);
    assertThat(cache.get("a")).isNull();
    assertThat(cache.get("b")).isEqualTo(value(2));
    assertThatThrownBy(() -> cache.transact(tx -> {
      tx.put("c", value(3));
      tx.delete("b");
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThat(cache.get("c")).isNull();
    assertThat(cache.get("b")).isEqualTo(value(2));
  }

  @Test
  void transact_seesOwnWrites_andRefusesNestedCacheCalls() {
    cache.transact(tx -> {
      tx.put("x", value(1));
      assertThat(tx.get("x")).isEqualTo(value(1));
      assertThatThrownBy(() -> cache.get("x")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("transact");
      return null;
    });
    assertThat(cache.get("x")).isEqualTo(value(1));
  }

  @Test
  void putStream_andOpen_streamWithoutHeapCopies() throws IOException {
    byte[] big = new byte[300_000];
    new Random(3).nextBytes(big);
    long n = cache.putStream("s", new ByteArrayInputStream(big), Put.DEFAULT);
    assertThat(n).isEqualTo(big.length);
    try (StoredValue v = cache.open("s")) {
      assertThat(v.size()).isEqualTo(big.length);
      assertThat(v.isFile()).isTrue();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long sent = v.channel().transferTo(0, v.size(), Channels.newChannel(out));
      assertThat(sent).isEqualTo(big.length);
      assertThat(out.toByteArray()).isEqualTo(big);
    }
    try (StoredValue v = cache.open("s"); InputStream in = v.inputStream()) {
      assertThat(in.readAllBytes()).isEqualTo(big);
    }
    long small = cache.putStream("small", new ByteArrayInputStream(new byte[10]), Put.DEFAULT);
    assertThat(small).isEqualTo(10);
    try (StoredValue v = cache.open("small")) {
      assertThat(v.isFile()).isFalse();
      assertThat(v.readAllBytes()).hasSize(10);
    }
  }

  @Test
  void open_keepsTheValueReadableAfterReplacement() throws IOException {
    cache.put("k", value(1));
    try (StoredValue v = cache.open("k")) {
      cache.put("k", value(2));
      cache.delete("k");
      assertThat(v.readAllBytes()).isEqualTo(value(1));
    }
  }

  @Test
  void reopen_keepsEverything() {
    cache.put("a", value(1), Put.ttl(Duration.ofHours(1)).withTags("t").withFlags(3));
    cache.incr("n", 9);
    cache.close();
    cache = open(dir);
    Entry<String, byte[]> e = cache.getEntry("a");
    assertThat(e.value()).isEqualTo(value(1));
    assertThat(e.tags()).containsExactly("t");
    assertThat(e.flags()).isEqualTo(3);
    assertThat(cache.incr("n", 1)).isEqualTo(10);
  }

  @Test
  void volume_isExactAndReturnsToZero() {
    for (int i = 0; i < 50; i++) {
      cache.put("k" + i, value(i), Put.tags("t" + (i % 3)));
    }
    assertThat(cache.volume()).isGreaterThanOrEqualTo(50L * config.valueSize());
    for (int i = 0; i < 50; i++) {
      cache.delete("k" + i);
    }
    assertThat(cache.volume()).isZero();
    assertThat(cache.size()).isZero();
  }

  @Test
  void stats_countHitsMissesAndWrites() {
    cache.put("a", value(1));
    cache.get("a");
    cache.get("a");
    cache.get("b");
    cache.delete("a");
    var s = cache.stats();
    assertThat(s.hits()).isEqualTo(2);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.puts()).isEqualTo(1);
    assertThat(s.deletes()).isEqualTo(1);
  }

  @Test
  void nulls_areRefused() {
    assertThatThrownBy(() -> cache.put(null, value(1))).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class).hasMessage("value");
    assertThatThrownBy(() -> cache.get(null)).isInstanceOf(NullPointerException.class);
    assertThat(cache.size()).isZero();
  }

  @Test
  void closedCache_refusesCalls() {
    Cache<String, byte[]> other = open(dir);
    other.close();
    other.close();
    assertThatThrownBy(() -> other.get("k")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    cache.put("still", value(1));
    assertThat(cache.get("still")).isEqualTo(value(1));
  }

  @Test
  void leastRecentlyStored_evictsOldestAndStaysUnderLimit() {
    cache.close();
    Path small = dir.resolve("small");
    long limit = 40L * (config.valueSize() + 100);
    cache = Larder.builder(small).durability(config.durability()).blobThreshold(THRESHOLD).clock(clock)
        .maxSize(limit).evictionPolicy(EvictionPolicy.LEAST_RECENTLY_STORED).open();
    for (int i = 0; i < 200; i++) {
      cache.put("k" + i, value(i));
      assertThat(cache.volume()).isLessThanOrEqualTo(limit);
      assertThat(cache.get("k" + i)).isEqualTo(value(i));
    }
    assertThat(cache.get("k0")).isNull();
    assertThat(cache.stats().evictions()).isGreaterThan(150);
    List<String> left = cache.keys().toList();
    assertThat(left).contains("k199");
  }

  @Test
  void none_refusesWritesWhenFull() {
    cache.close();
    Path small = dir.resolve("none");
    long limit = Math.max(4096, 10L * (config.valueSize() + 100));
    cache = Larder.builder(small).durability(config.durability()).blobThreshold(THRESHOLD).clock(clock)
        .maxSize(limit).evictionPolicy(EvictionPolicy.NONE).open();
    int stored = 0;
    try {
      for (int i = 0; i < 100; i++) {
        cache.put("k" + i, value(i));
        stored++;
      }
    } catch (CacheFullException e) {
      assertThat(e).hasMessageContaining("NONE");
    }
    assertThat(stored).isBetween(1, 99);
    assertThat(cache.size()).isEqualTo(stored);
    for (int i = 0; i < stored; i++) {
      assertThat(cache.get("k" + i)).isEqualTo(value(i));
    }
  }

  @Test
  void valueLargerThanLimit_isRefusedAndNothingChanges() throws IOException {
    cache.close();
    Path small = dir.resolve("limit");
    cache = Larder.builder(small).durability(config.durability()).blobThreshold(THRESHOLD).clock(clock)
        .maxSize(8192).open();
    cache.put("keep", new byte[10]);
    assertThatThrownBy(() -> cache.put("huge", new byte[10_000]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size limit");
    assertThatThrownBy(() -> cache.putStream("huge", new ByteArrayInputStream(new byte[10_000]), Put.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size limit");
    assertThat(cache.get("keep")).hasSize(10);
    assertThat(cache.size()).isEqualTo(1);
    try (Stream<Path> tmp = Files.list(small.resolve("tmp"))) {
      assertThat(tmp.toList()).isEmpty();
    }
  }

  @Test
  void manyThreads_incrementExactly() throws Exception {
    int threads = 4;
    int perThread = 200;
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          cache.incr("counter", 1);
          cache.put("t" + Thread.currentThread().getName() + i % 5, value(i));
          cache.get("counter");
        }
      });
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    assertThat(new String(cache.get("counter"), UTF_8)).isEqualTo(Integer.toString(threads * perThread));
  }

  @Test
  void storedAtAndVersions_areMonotonic() {
    long last = 0;
    for (int i = 0; i < 20; i++) {
      cache.put("k", value(i));
      long v = cache.getEntry("k").version();
      assertThat(v).isGreaterThan(last);
      last = v;
    }
    assertThat(cache.getEntry("k").storedAt()).isEqualTo(Instant.ofEpochMilli(clock.millis()));
    assertThat(Set.of(Arrays.hashCode(value(1)))).hasSize(1);
  }
}
