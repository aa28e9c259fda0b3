package dev.larder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code larder.jar} as a real process with no JVM options: its manifest, its bundled
 * native libraries, and binary values through real pipes. Runs after {@code package}
 * (maven-failsafe-plugin), which passes the jar's path as {@code larder.jar}.
 */
class LarderJarIT {
  @TempDir Path cwd;
  private Path jar;

  @BeforeEach
  void findJar() {
    jar = Path.of(System.getProperty("larder.jar", "target/larder.jar"));
    assertThat(jar).as("run through 'mvn verify', after package").isRegularFile();
  }

  private CliResult larder(byte[] stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(Arrays.asList(args));
    return ProcessRun.run(cwd, stdin, command);
  }

  private CliResult larder(String... args) {
    return larder(new byte[0], args);
  }

  @Test
  void version_runsFromTheManifest() {
    CliResult r = larder("--version");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.text()).startsWith("larder 0.");
  }

  @Test
  void putGet_text_usesDataDirInCurrentDirectory() {
    assertThat(larder("put", "greeting", "hello").code()).isZero();

    CliResult got = larder("get", "greeting");

    assertThat(got.code()).as("%s", got).isZero();
    assertThat(got.text()).isEqualTo("hello");
    assertThat(got.err()).isEmpty();
    assertThat(cwd.resolve("larder-data")).isDirectory();
  }

  @Test
  void putGet_largeBinaryThroughPipes_isExact() {
    byte[] value = new byte[3 << 20];
    new Random(Seeds.seed("putGet_largeBinaryThroughPipes")).nextBytes(value);

    CliResult put = larder(value, "put", "blob");
    CliResult got = larder("get", "blob");

    assertThat(put.code()).as("%s", put).isZero();
    assertThat(got.code()).isZero();
    assertThat(got.out()).isEqualTo(value);
  }

  @Test
  void incr_afterEchoedValue_addsToIt() {
    larder("5\n".getBytes(UTF_8), "put", "n");

    CliResult r = larder("incr", "n", "2");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.text()).isEqualTo("7\n");
  }

  @Test
  void errors_exitCodesAndNoStackTrace() throws Exception {
    larder("put", "word", "abc");

    CliResult notACounter = larder("incr", "word");
    CliResult badTtl = larder("put", "--ttl", "soon", "k", "v");
    CliResult absent = larder("get", "nothing");
    Path notADir = Files.writeString(cwd.resolve("file"), "x");
    CliResult badDir = larder("get", "--dir", notADir.toString(), "k");

    assertThat(notACounter.code()).isEqualTo(3);
    assertThat(notACounter.err()).contains("not a decimal").doesNotContain("\tat ");
    assertThat(badTtl.code()).isEqualTo(2);
    assertThat(badTtl.err()).contains("'soon' is not a duration");
    assertThat(absent.code()).isEqualTo(1);
    assertThat(absent.out()).isEmpty();
    assertThat(badDir.code()).isEqualTo(3);
    assertThat(badDir.err()).doesNotContain("\tat ");
  }

  @Test
  void check_cleanCache_exits0() {
    larder("put", "k", "v");

    CliResult r = larder("check");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).isEmpty();
  }
}
