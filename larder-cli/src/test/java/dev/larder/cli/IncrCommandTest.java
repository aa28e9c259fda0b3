package dev.larder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.Invariants;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code incr}: counters as decimal text, shared with {@code put} and {@code get}. */
class IncrCommandTest {
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
  void incr_missingCounter_startsFromZeroAndAddsOne() {
    CliResult r = cli.run("incr", "visits");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.text()).isEqualTo("1\n");
    assertThat(cli.run("incr", "visits").text()).isEqualTo("2\n");
  }

  @Test
  void incr_delta_isAdded() {
    cli.run("put", "n", "40");

    assertThat(cli.run("incr", "n", "2").text()).isEqualTo("42\n");
    assertThat(cli.run("get", "n").text()).as("stored as decimal text").isEqualTo("42");
  }

  @Test
  void incr_negativeDelta_subtracts() {
    cli.run("put", "n", "3");

    CliResult r = cli.run("incr", "n", "-10");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.text()).isEqualTo("-7\n");
  }

  @Test
  void incr_valueWithTrailingNewline_isACounter() {
    cli.runWithInput("5\n".getBytes(UTF_8), "put", "n");

    assertThat(cli.run("incr", "n", "2").text()).isEqualTo("7\n");
    assertThat(cli.run("get", "n").text()).isEqualTo("7");
  }

  @Test
  void incr_notANumber_exits3WithMessage() {
    cli.run("put", "n", "abc");

    CliResult r = cli.run("incr", "n");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("larder incr:").contains("not a decimal 64-bit integer").contains("'abc'")
        .doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(cli.run("get", "n").text()).as("unchanged").isEqualTo("abc");
  }

  @Test
  void incr_overflow_exits3AndLeavesCounter() {
    cli.run("put", "n", Long.toString(Long.MAX_VALUE));

    CliResult r = cli.run("incr", "n");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("overflow");
    assertThat(cli.run("get", "n").text()).isEqualTo(Long.toString(Long.MAX_VALUE));
  }

  @Test
  void incr_deltaNotANumber_exits2() {
    CliResult r = cli.run("incr", "n", "two");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("'two'").contains("DELTA");
  }
}
