package dev.larder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.testkit.Invariants;
import dev.larder.testkit.Seeds;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code put} and {@code get}: values go in and come out byte for byte. */
class PutGetCommandTest {
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

  @Test
  void put_textArgument_getPrintsItWithoutNewline() {
    assertThat(cli.run("put", "greeting", "hello").code()).isZero();

    CliResult got = cli.run("get", "greeting");

    assertThat(got.code()).as("%s", got).isZero();
    assertThat(got.out()).isEqualTo("hello".getBytes(UTF_8));
    assertThat(got.err()).isEmpty();
  }

  @Test
  void put_unicodeArgument_isStoredAsUtf8() {
    cli.run("put", "ключ", "größe ✓");

    assertThat(cli.run("get", "ключ").out()).isEqualTo("größe ✓".getBytes(UTF_8));
  }

  @Test
  void put_again_replacesValue() {
    cli.run("put", "k", "one");
    cli.run("put", "k", "two");

    assertThat(cli.run("get", "k").text()).isEqualTo("two");
  }

  @Test
  void put_fromStdin_keepsEveryByteValue() {
    byte[] all = new byte[256 * 3];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }

    CliResult put = cli.runWithInput(all, "put", "binary");
    CliResult got = cli.run("get", "binary");

    assertThat(put.code()).as("%s", put).isZero();
    assertThat(got.code()).isZero();
    assertThat(got.out()).isEqualTo(all);
  }

  @Test
  void put_largeValueFromStdin_isStoredInAFileAndReadBackExactly() {
    byte[] value = new byte[1 << 20];
    new Random(Seeds.seed("put_largeValueFromStdin")).nextBytes(value);

    CliResult put = cli.runWithInput(value, "put", "big");
    CliResult got = cli.run("get", "big");

    assertThat(put.code()).as("%s", put).isZero();
    assertThat(got.code()).isZero();
    assertThat(got.out()).isEqualTo(value);
    try (Cache<String, byte[]> cache = Caches.open(dir); var stored = cache.open("big")) {
      assertThat(stored.isFile()).as("a 1 MiB value lives in a file of its own").isTrue();
    }
  }

  @Test
  void put_emptyStdin_storesEmptyValue() {
    assertThat(cli.runWithInput(new byte[0], "put", "empty").code()).isZero();

    CliResult got = cli.run("get", "empty");

    assertThat(got.code()).isZero();
    assertThat(got.out()).isEmpty();
  }

  @Test
  void put_valueStartingWithDash_isAValueNotAnOption() {
    assertThat(cli.run("put", "n", "-5").code()).isZero();

    assertThat(cli.run("get", "n").text()).isEqualTo("-5");
  }

  @Test
  void get_absentKey_exits1WithNothingPrinted() {
    cli.run("put", "other", "x");

    CliResult got = cli.run("get", "missing");

    assertThat(got.code()).isEqualTo(1);
    assertThat(got.out()).isEmpty();
    assertThat(got.err()).isEmpty();
  }

  @Test
  void get_missingDirectory_exits3AndCreatesNothing() {
    CliResult got = cli.run("get", "k");

    assertThat(got.code()).isEqualTo(3);
    assertThat(got.out()).isEmpty();
    assertThat(got.err()).contains("no cache at").contains(dir.toString()).doesNotContain("Exception");
    assertThat(dir).doesNotExist();
  }
}
