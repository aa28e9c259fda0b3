package dev.larder.cli;

import dev.larder.Cache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code larder delete KEY}: removes an entry; exit code 1 when there was none. */
@Command(
    name = "delete",
    description = {
      "Removes the entry for KEY.",
      "Exits with 1, printing nothing, when KEY had no live entry."
    })
final class DeleteCommand extends CacheCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  @Override
  int run(Cache<String, byte[]> cache) {
    return cache.delete(key) ? ExitCodes.OK : ExitCodes.ABSENT;
  }
}
