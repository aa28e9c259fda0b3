package dev.larder.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where benchmark stores live: under {@code -Dlarder.bench.dir}, else {@code java.io.tmpdir}. */
final class BenchFiles {
  private BenchFiles() {}

  /**
   * Creates a new empty directory for one store.
   *
   * @throws UncheckedIOException if it cannot be created
   */
  static Path newDirectory(String prefix) {
    String base = System.getProperty("larder.bench.dir", System.getProperty("java.io.tmpdir"));
    try {
      Path parent = Files.createDirectories(Path.of(base));
      return Files.createTempDirectory(parent, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a benchmark directory under " + base, e);
    }
  }
}
