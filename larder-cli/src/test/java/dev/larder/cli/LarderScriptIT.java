package dev.larder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./larder} script at the repository root, run from another directory. The jar was just
 * built by {@code package}, so the script runs it without rebuilding.
 */
class LarderScriptIT {
  @TempDir Path cwd;
  private Path script;

  @BeforeEach
  void findScript() {
    script = Path.of(System.getProperty("larder.script", "../larder")).toAbsolutePath().normalize();
    assertThat(script).isExecutable();
  }

  private CliResult sh(String commandLine) {
    return ProcessRun.run(cwd, new byte[0], List.of("bash", "-c", commandLine));
  }

  @Test
  void putThenGet_printsValueOnly() {
    CliResult r = sh("'" + script + "' put greeting hello && '" + script + "' get greeting");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.text()).isEqualTo("hello");
    assertThat(cwd.resolve("larder-data")).isDirectory();
  }

  @Test
  void echoedCounter_incrPrintsSeven() {
    CliResult r = sh("echo 5 | '" + script + "' put n && '" + script + "' incr n 2");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).isEqualTo("7\n".getBytes(UTF_8));
  }

  @Test
  void absentKey_exitCodeGoesThrough() {
    CliResult r = sh("'" + script + "' put a b; '" + script + "' get missing");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
  }
}
