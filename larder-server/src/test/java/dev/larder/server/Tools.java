package dev.larder.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Finds and runs the libmemcached-tools programs (Debian names them memc*, upstream mem*). */
final class Tools {
  private Tools() {}

  static Optional<Path> find(String... names) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String name : names) {
      for (String d : path.split(File.pathSeparator)) {
        Path p = Path.of(d, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** The tool, or the test is skipped with a message saying what to install. */
  static Path require(String... names) {
    Optional<Path> p = find(names);
    Assumptions.assumeTrue(p.isPresent(), () -> "SKIPPED: none of " + List.of(names)
        + " is on the PATH; install the Debian package libmemcached-tools (apt-get install -y libmemcached-tools)");
    return p.get();
  }

  record Result(int exit, String output) {}

  /** Runs a command with stdout and stderr merged, stdin from {@code stdin} if not null. */
  static Result run(List<String> command, Path stdout, long timeoutSeconds) {
    try {
      Path out = stdout != null ? stdout : Files.createTempFile("tool", ".out");
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile());
      if (stdout == null) {
        pb.redirectErrorStream(true);
      } else {
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      }
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
      }
      String text = stdout == null ? Files.readString(out, StandardCharsets.UTF_8) : "";
      if (stdout == null) {
        Files.deleteIfExists(out);
      }
      return new Result(p.exitValue(), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
