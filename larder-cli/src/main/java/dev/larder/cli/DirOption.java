package dev.larder.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --dir} option that every command takes: the cache directory. */
final class DirOption {

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "./larder-data",
      description = "The cache directory (default: ${DEFAULT-VALUE}, relative to the current directory).")
  Path dir;

  Path path() {
    return dir;
  }
}
