package dev.larder.cli;

import dev.larder.Cache;
import dev.larder.stats.CacheStats;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code larder stats [--json]}: prints the directory's counters, as aligned lines for people or as
 * one JSON object on one line for programs. The JSON is written by hand: flat numbers need no
 * library.
 */
@Command(
    name = "stats",
    description = {
      "Prints the cache's counters, summed over every process that has used the directory.",
      "Hits and misses of other processes still running may lag by about a second."
    })
final class StatsCommand extends CacheCommand {

  @Option(names = "--json", description = "Print one JSON object on one line instead.")
  boolean json;

  @Override
  int run(Cache<String, byte[]> cache) {
    CacheStats s = cache.stats();
    PrintWriter out = out();
    out.print(json ? json(s) : text(s));
    return ExitCodes.OK;
  }

  private static String text(CacheStats s) {
    return line("count", s.count())
        + line("volume", s.volume())
        + line("hits", s.hits())
        + line("misses", s.misses())
        + String.format(Locale.ROOT, "%-19s %.4f", "hit ratio", s.hitRatio()) + "\n"
        + line("puts", s.puts())
        + line("deletes", s.deletes())
        + line("evictions", s.evictions())
        + line("  by size", s.evictionsBySize())
        + line("  by count", s.evictionsByCount())
        + line("expirations", s.expirations())
        + line("tag evictions", s.tagEvictions())
        + line("namespace evictions", s.namespaceEvictions())
        + line("loads", s.loads());
  }

  private static String line(String name, long value) {
    return String.format(Locale.ROOT, "%-19s %d", name, value) + "\n";
  }

  private static String json(CacheStats s) {
    return "{\"count\": " + s.count()
        + ", \"volume\": " + s.volume()
        + ", \"hits\": " + s.hits()
        + ", \"misses\": " + s.misses()
        + ", \"hitRatio\": " + s.hitRatio()
        + ", \"puts\": " + s.puts()
        + ", \"deletes\": " + s.deletes()
        + ", \"evictions\": " + s.evictions()
        + ", \"evictionsBySize\": " + s.evictionsBySize()
        + ", \"evictionsByCount\": " + s.evictionsByCount()
        + ", \"expirations\": " + s.expirations()
        + ", \"tagEvictions\": " + s.tagEvictions()
        + ", \"namespaceEvictions\": " + s.namespaceEvictions()
        + ", \"loads\": " + s.loads()
        + "}\n";
  }
}
