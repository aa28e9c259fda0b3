package dev.larder.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.spring.example.BookExample;
import dev.larder.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example application, run twice in real JVMs: the second run shows the first run's result. */
class RestartExampleTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  @TempDir Path dir;

  private String run(String isbn) {
    try (ChildJvm child = ChildJvm.start(BookExample.class, dir.resolve("cache").toString(),
        dir.resolve("calls.txt").toString(), isbn)) {
      String line = child.awaitLine(l -> l.startsWith("RESULT "), TIMEOUT);
      assertThat(child.waitFor(TIMEOUT)).as("exit code; stderr: %s", child.stderr()).isZero();
      return line;
    }
  }

  @Test
  void secondRun_showsTheFirstRunsResult_withoutLookingUpAgain() throws Exception {
    String first = run("9780261103573");
    String second = run("9780261103573");

    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllLines(dir.resolve("calls.txt"))).isEqualTo(List.of("lookup 9780261103573"));
  }
}
