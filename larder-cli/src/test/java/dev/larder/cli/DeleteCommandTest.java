package dev.larder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.Invariants;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code delete}: exit code 0 when there was an entry, 1 when there was none. */
class DeleteCommandTest {
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
  void delete_presentKey_exits0AndRemovesIt() {
    cli.run("put", "k", "v");

    CliResult deleted = cli.run("delete", "k");

    assertThat(deleted.code()).as("%s", deleted).isZero();
    assertThat(deleted.out()).isEmpty();
    assertThat(cli.run("get", "k").code()).isEqualTo(1);
  }

  @Test
  void delete_twice_secondExits1() {
    cli.run("put", "k", "v");
    cli.run("delete", "k");

    CliResult again = cli.run("delete", "k");

    assertThat(again.code()).isEqualTo(1);
    assertThat(again.out()).isEmpty();
    assertThat(again.err()).isEmpty();
  }

  @Test
  void delete_largeValue_removesItsFile() {
    cli.runWithInput(new byte[100_000], "put", "big");

    assertThat(cli.run("delete", "big").code()).isZero();

    assertThat(cli.run("get", "big").code()).isEqualTo(1);
  }

  @Test
  void delete_missingDirectory_exits3() {
    CliResult deleted = cli.run("delete", "k");

    assertThat(deleted.code()).isEqualTo(3);
    assertThat(deleted.err()).contains("no cache at");
  }
}
