package dev.larder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.Invariants;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys}: one key per line, in byte order, optionally by prefix. */
class KeysCommandTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path tmp;
  private Path dir;
  private Cli cli;

  @BeforeEach
  void setUp() {
    dir = tmp.resolve("cache");
    cli = new Cli(dir);
    invariants.register("check", () -> Caches.check(dir));
    for (String key : new String[] {"user:2", "cart:1", "user:10", "user", "zebra"}) {
      cli.run("put", key, "v");
    }
  }

  @Test
  void keys_all_oneLineEachInByteOrder() {
    CliResult r = cli.run("keys");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.text()).isEqualTo("cart:1\nuser\nuser:10\nuser:2\nzebra\n");
  }

  @Test
  void keys_prefix_onlyMatchingKeys() {
    CliResult r = cli.run("keys", "--prefix", "user:");

    assertThat(r.code()).isZero();
    assertThat(r.text()).isEqualTo("user:10\nuser:2\n");
  }

  @Test
  void keys_prefixWithoutMatch_printsNothing() {
    CliResult r = cli.run("keys", "--prefix", "nothing");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void keys_skipsExpiredAndDeleted() throws InterruptedException {
    cli.run("put", "--ttl", "50ms", "user:short", "v");
    cli.run("delete", "zebra");
    Thread.sleep(150);

    assertThat(cli.run("keys").text()).isEqualTo("cart:1\nuser\nuser:10\nuser:2\n");
  }
}
