package dev.larder.cli;

import dev.larder.Cache;
import dev.larder.Finding;
import dev.larder.Larder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Direct access to a cache directory, to set up and verify what the command line did. */
final class Caches {
  private Caches() {}

  static Cache<String, byte[]> open(Path dir) {
    return Larder.builder(dir).open();
  }

  /** What {@code check(false)} finds in {@code dir}; nothing when the directory was never created. */
  static List<Finding> check(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Cache<String, byte[]> cache = open(dir)) {
      return cache.check(false);
    }
  }
}
