package dev.larder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The top command: help, version, usage errors, and errors from the cache at the boundary. */
class MainTest {
  @TempDir Path tmp;

  @Test
  void help_listsCommandsAndExitCodes() {
    CliResult r = Cli.raw("--help");

    assertThat(r.code()).isZero();
    assertThat(r.text()).contains("put", "get", "delete", "incr", "keys", "stats", "check")
        .contains("Exit codes:").contains("usage error");
  }

  @Test
  void subcommandHelp_exits0() {
    CliResult r = Cli.raw("get", "--help");

    assertThat(r.code()).isZero();
    assertThat(r.text()).contains("Usage: larder get").contains("--dir");
  }

  @Test
  void version_printsProjectVersion() {
    CliResult r = Cli.raw("--version");

    assertThat(r.code()).isZero();
    assertThat(r.text()).startsWith("larder 0.").doesNotContain("${");
  }

  @Test
  void noCommand_printsUsageAndExits2() {
    CliResult r = Cli.raw();

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Usage: larder");
  }

  @Test
  void unknownCommand_exits2WithSuggestion() {
    CliResult r = Cli.raw("gett", "k");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("'gett'").contains("larder get").contains("Try 'larder --help'");
  }

  @Test
  void missingKey_exits2() {
    CliResult r = Cli.raw("get");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter: 'KEY'");
  }

  @Test
  void dirIsAFile_exits3WithOneLine() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "not a cache");

    CliResult r = Cli.raw("put", "--dir", file.toString(), "k", "v");

    assertThat(r.code()).as("%s", r).isEqualTo(3);
    assertThat(r.err()).startsWith("larder put: ").hasLineCount(1).doesNotContain("\tat ");
  }

  @Test
  void dirIsSomethingElse_exits3AndIsLeftAlone() throws IOException {
    Path other = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(other.resolve("cat.jpg"), "meow");

    CliResult r = Cli.raw("put", "--dir", other.toString(), "k", "v");

    assertThat(r.code()).as("%s", r).isEqualTo(3);
    assertThat(r.err()).startsWith("larder put: ").hasLineCount(1);
    try (var files = Files.list(other)) {
      assertThat(files).containsExactly(other.resolve("cat.jpg"));
    }
  }
}
