package dev.larder.cli;

import dev.larder.Cache;
import java.io.PrintWriter;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code larder keys [--prefix P]}: prints the live keys, one per line, in ascending order of their
 * UTF-8 bytes. The listing is read in batches, so concurrent writes may or may not show.
 */
@Command(
    name = "keys",
    description = {
      "Prints the live keys, one per line, in ascending order of their UTF-8 bytes.",
      "Weakly consistent: writes made meanwhile by other processes may or may not show."
    })
final class KeysCommand extends CacheCommand {

  @Option(names = "--prefix", paramLabel = "P", description = "Only keys that start with P.")
  String prefix;

  @Override
  int run(Cache<String, byte[]> cache) {
    PrintWriter out = out();
    try (Stream<String> keys = prefix == null ? cache.keys() : cache.keys(prefix)) {
      keys.forEach(k -> {
        out.print(k);
        out.print('\n');
      });
    }
    return ExitCodes.OK;
  }
}
