package dev.larder.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minimal reproductions of two bugs that {@link CacheModelTest} found with long keys. Regression tests: each states the documented behaviour.
 */
class LongKeyBugsTest {
  private static final String LONG_1 = "L" + "x".repeat(600) + "1";
  private static final String LONG_2 = "L" + "x".repeat(600) + "2";
  private static final byte[] VALUE = {1};

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock();
  private Cache<String, byte[]> cache;

  @BeforeEach
  void open() {
    cache = Larder.builder(dir).clock(clock).open();
  }

  @AfterEach
  void close() {
    assertThat(cache.check(false)).isEmpty();
    cache.close();
  }

  /**
   * {@code Cache.keys()} promises ascending order of the encoded bytes. A key over 511 encoded
   * bytes is stored under its first 479 bytes plus its SHA-256, and the scan returns the LMDB
   * order, so two long keys that share their first 479 bytes come back in hash order.
   */
  @Test
  void keys_twoLongKeysSharingTheirFirst479Bytes_comeInByteOrder() {
    cache.put(LONG_2, VALUE);
    cache.put(LONG_1, VALUE);

    assertThat(cache.keys().toList()).containsExactly(LONG_1, LONG_2);
    assertThat(cache.keys("L").toList()).containsExactly(LONG_1, LONG_2);
  }

  /**
   * An expiry is indexed under {@code [expiresAt u64][LMDB key]}; for an LMDB key of more than 503
   * bytes that is over LMDB's 511-byte key limit, so LMDB refuses it and the put fails (nothing is
   * stored) with a {@code CorruptionException} that blames damage in data.mdb.
   */
  @Test
  void put_ttlOnKeyOver502Bytes_storesWithExpiry() {
    String key = "k".repeat(503);

    cache.put(key, VALUE, Duration.ofSeconds(5));

    assertThat(cache.getEntry(key).expiresAt()).isEqualTo(clock.instant().plusSeconds(5));
  }

  /** The same limit, for a key over 511 bytes (stored hashed) and for {@code touch}. */
  @Test
  void touch_longKey_setsExpiry() {
    cache.put(LONG_1, VALUE);

    assertThat(cache.touch(LONG_1, Duration.ofSeconds(5))).isTrue();

    Instant expected = clock.instant().plusSeconds(5);
    assertThat(cache.getEntry(LONG_1).expiresAt()).isEqualTo(expected);
  }

  /** The boundary: a key of 502 encoded bytes takes an expiry; the sequences rely on it. */
  @Test
  void put_ttlOnKeyOf502Bytes_storesWithExpiry() {
    String key = "k".repeat(502);

    cache.put(key, VALUE, Duration.ofSeconds(5));

    assertThat(cache.getEntry(key).expiresAt()).isEqualTo(clock.instant().plusSeconds(5));
  }
}
