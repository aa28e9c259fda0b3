package dev.larder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.Invariants;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check}: exit code 0 on a sound cache, 2 when something was found, with or without {@code
 * --fix}; a second check after {@code --fix} exits with 0.
 */
class CheckCommandTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path tmp;
  private Path dir;
  private Cli cli;

  @BeforeEach
  void setUp() {
    dir = tmp.resolve("cache");
    cli = new Cli(dir);
    invariants.register("check", () -> Caches.check(dir));
    cli.run("put", "small", "v");
    cli.runWithInput(new byte[100_000], "put", "large");
  }

  @Test
  void check_soundCache_exits0AndPrintsNothing() {
    CliResult r = cli.run("check");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("no problems found");
  }

  /**
   * The orphan sits in {@code blobs/ab/cd/} under a name whose first four digits are not {@code
   * abcd}, so it is not where a value file with that id would be. The background sweep that every
   * open starts deletes only orphans at their proper place; a file like this one is found by
   * {@code check} alone, which keeps the test deterministic.
   */
  @Test
  void check_orphanFile_exits2ThenFixThenClean() throws IOException {
    Path orphan = dir.resolve("blobs/ab/cd/0123456789abcdef0123456789abcdef");
    Files.createDirectories(orphan.getParent());
    Files.write(orphan, new byte[] {1, 2, 3});

    CliResult found = cli.run("check");
    assertThat(found.code()).as("%s", found).isEqualTo(2);
    assertThat(found.text()).startsWith("ORPHAN_FILE ").contains(orphan.toString()).doesNotContain("(fixed)")
        .hasLineCount(1);
    assertThat(found.err()).contains("1 problem found").contains("check --fix");
    assertThat(orphan).as("check without --fix changes nothing").exists();

    CliResult fixed = cli.run("check", "--fix");
    assertThat(fixed.code()).as("%s", fixed).isEqualTo(2);
    assertThat(fixed.text()).startsWith("ORPHAN_FILE ").endsWith("(fixed)\n");
    assertThat(fixed.err()).contains("1 problem found, 1 fixed");
    assertThat(orphan).doesNotExist();

    CliResult again = cli.run("check");
    assertThat(again.code()).as("%s", again).isZero();
    assertThat(again.out()).isEmpty();
    assertThat(cli.run("get", "large").out()).hasSize(100_000);
  }

  @Test
  void get_damagedValue_exits3ThenCheckFixRemovesIt() throws IOException {
    Path file = onlyValueFile();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {42}), 500);
    }

    CliResult got = cli.run("get", "large");
    assertThat(got.code()).as("%s", got).isEqualTo(3);
    assertThat(got.err()).startsWith("larder get: ").doesNotContain("\tat ").hasLineCount(1);

    CliResult found = cli.run("check", "--fix");
    assertThat(found.code()).isEqualTo(2);
    assertThat(found.text()).contains("CHECKSUM_MISMATCH").contains("(fixed)");
    assertThat(cli.run("get", "large").code()).as("the damaged entry is gone").isEqualTo(1);
    assertThat(cli.run("get", "small").text()).isEqualTo("v");
    assertThat(cli.run("check").code()).isZero();
  }

  private Path onlyValueFile() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
      List<Path> all = files.filter(Files::isRegularFile).toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }
}
