package dev.larder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Entry;
import dev.larder.testkit.Invariants;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code put --ttl} and {@code put --tag}, checked through the core API. */
class PutOptionsTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path tmp;
  private Path dir;
  private Cli cli;

  @BeforeEach
  void setUp() {
    dir = tmp.resolve("cache");
    cli = new Cli(dir);
    invariants.register("check", () -> Caches.check(dir));
  }

  private Entry<String, byte[]> entry(String key) {
    try (Cache<String, byte[]> cache = Caches.open(dir)) {
      return cache.getEntry(key);
    }
  }

  @ParameterizedTest
  @CsvSource({"500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "2h, PT2H", "1d, PT24H", "1h30m, PT1H30M",
      "PT30S, PT30S", "pt2m, PT2M", "P1D, PT24H"})
  void ttl_acceptedForm_setsExpiryFromNow(String ttl, String expected) {
    Instant before = Instant.now();
    CliResult put = cli.run("put", "--ttl", ttl, "k", "v");
    Instant after = Instant.now();

    assertThat(put.code()).as("%s", put).isZero();
    Duration d = Duration.parse(expected);
    assertThat(entry("k").expiresAt())
        .isBetween(before.plus(d).minusMillis(1), after.plus(d).plusMillis(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5x", "30", "m", "", "1.5h", "5M", "PT", "P1Y", "0s", "PT0S", "PT-5S", "10 s",
      "99999999999999999999d"})
  void ttl_badForm_exits2WithClearMessage(String ttl) {
    CliResult put = cli.run("put", "--ttl", ttl, "k", "v");

    assertThat(put.code()).as("%s", put).isEqualTo(2);
    assertThat(put.err())
        .contains("--ttl")
        .containsPattern("is not a duration|not a positive duration|too long a duration")
        .contains("Try 'larder put --help'")
        .doesNotContain("Exception");
    assertThat(dir).as("nothing was opened").doesNotExist();
  }

  @Test
  void ttl_negative_exits2() {
    CliResult put = cli.run("put", "--ttl", "-5m", "k", "v");

    assertThat(put.code()).as("%s", put).isEqualTo(2);
  }

  @Test
  void ttl_overThousandYears_exits2WithTheLimit() {
    CliResult put = cli.run("put", "--ttl", "400000d", "k", "v");

    assertThat(put.code()).as("%s", put).isEqualTo(2);
    assertThat(put.err()).contains("at most 1000 years");
  }

  @Test
  void ttl_expired_getExits1() throws InterruptedException {
    cli.run("put", "--ttl", "100ms", "k", "v");
    Thread.sleep(250);

    CliResult got = cli.run("get", "k");

    assertThat(got.code()).isEqualTo(1);
    assertThat(got.out()).isEmpty();
  }

  @Test
  void put_withoutTtl_doesNotExpire() {
    cli.run("put", "k", "v");

    assertThat(entry("k").expiresAt()).isNull();
  }

  @Test
  void tag_repeated_storesEveryTag() {
    CliResult put = cli.run("put", "--tag", "user", "--tag", "tenant:7", "k", "v");

    assertThat(put.code()).as("%s", put).isZero();
    assertThat(entry("k").tags()).containsExactlyInAnyOrder("user", "tenant:7");
  }

  @Test
  void tag_withTtlAndStdin_storesBoth() {
    CliResult put = cli.runWithInput(new byte[] {1, 2, 3}, "put", "--ttl", "1h", "--tag", "t", "k");

    assertThat(put.code()).as("%s", put).isZero();
    Entry<String, byte[]> e = entry("k");
    assertThat(e.value()).containsExactly(1, 2, 3);
    assertThat(e.tags()).containsExactly("t");
    assertThat(e.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
  }

  @Test
  void tag_tooLong_exits2WithTheLimit() {
    CliResult put = cli.run("put", "--tag", "x".repeat(251), "k", "v");

    assertThat(put.code()).as("%s", put).isEqualTo(2);
    assertThat(put.err()).contains("a tag must be 1 to 250 bytes").doesNotContain("Exception");
  }
}
