package dev.larder.cli;

import dev.larder.Compaction;
import dev.larder.Larder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code larder compact}: gives the data file's free pages back to the file system (see {@link
 * Larder#compact}). Unlike the other commands it does not open the cache, since compaction needs
 * every process, this one included, to have it closed.
 */
@Command(
    name = "compact",
    description = {
      "Gives free space back to the file system: rewrites the data file with only its live pages.",
      "The data file never shrinks by itself; run this after clear or a large deletion. Every process "
          + "must have closed the cache (a running 'larder serve' too): otherwise it exits with 3 and "
          + "changes nothing. Entries, settings and value files are kept."
    })
final class CompactCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin DirOption dir;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Override
  public Integer call() {
    Path path = dir.path();
    if (!Files.isDirectory(path)) {
      throw new CliException("no cache at " + path + ": the directory does not exist");
    }
    Compaction c;
    try {
      c = Larder.compact(path);
    } catch (IllegalStateException e) {
      throw new CliException("cannot compact: " + e.getMessage());
    }
    spec.commandLine().getErr().println(String.format(Locale.ROOT, "compact: %s: %s of pages before, %s after, %s freed",
        path, mib(c.bytesBefore()), mib(c.bytesAfter()), mib(c.bytesFreed())));
    return ExitCodes.OK;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
