package dev.larder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.Invariants;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code stats}: the counters as lines, or as one JSON object. */
class StatsCommandTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path tmp;
  private Path dir;
  private Cli cli;

  @BeforeEach
  void setUp() {
    dir = tmp.resolve("cache");
    cli = new Cli(dir);
    invariants.register("check", () -> Caches.check(dir));
    cli.run("put", "a", "1");
    cli.run("put", "b", "2");
    cli.run("put", "c", "3");
    cli.run("delete", "c");
    cli.run("get", "a");
    cli.run("get", "missing");
  }

  @Test
  void stats_text_oneCounterPerLine() {
    CliResult r = cli.run("stats");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.text())
        .containsPattern("(?m)^count +2$")
        .containsPattern("(?m)^hits +1$")
        .containsPattern("(?m)^misses +1$")
        .containsPattern("(?m)^hit ratio +0\\.5000$")
        .containsPattern("(?m)^puts +3$")
        .containsPattern("(?m)^deletes +1$")
        .containsPattern("(?m)^volume +\\d+$")
        .containsPattern("(?m)^evictions +0$")
        .containsPattern("(?m)^expirations +0$");
  }

  @Test
  void stats_json_oneObjectWithEveryField() {
    CliResult r = cli.run("stats", "--json");

    assertThat(r.code()).as("%s", r).isZero();
    String json = r.text();
    assertThat(json).startsWith("{").endsWith("}\n").hasLineCount(1);
    Map<String, String> fields = parseFlatJson(json);
    assertThat(fields).containsOnlyKeys(
        "count", "volume", "hits", "misses", "hitRatio", "puts", "deletes", "evictions", "evictionsBySize",
        "evictionsByCount", "expirations", "tagEvictions", "namespaceEvictions", "loads");
    assertThat(fields).containsEntry("count", "2").containsEntry("hits", "1").containsEntry("misses", "1")
        .containsEntry("puts", "3").containsEntry("deletes", "1").containsEntry("hitRatio", "0.5");
    assertThat(json).contains("\"count\": 2");
  }

  @Test
  void stats_tagAndNamespaceEvictionsAndLoads_areCountedByCause() {
    Cli fresh = new Cli(tmp.resolve("causes"));
    try (dev.larder.Cache<String, byte[]> cache = Caches.open(tmp.resolve("causes"))) {
      cache.put("a", new byte[] {1}, dev.larder.Put.tags("t"));
      cache.put("b", new byte[] {1}, dev.larder.Put.tags("t"));
      assertThat(cache.evictTag("t")).isEqualTo(2);
      cache.get("c", k -> new byte[] {3});
    }

    CliResult r = fresh.run("stats");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.text())
        .containsPattern("(?m)^tag evictions +2$")
        .containsPattern("(?m)^namespace evictions +0$")
        .containsPattern("(?m)^loads +1$")
        .containsPattern("(?m)^  by size +0$");
    assertThat(parseFlatJson(fresh.run("stats", "--json").text()))
        .containsEntry("tagEvictions", "2").containsEntry("loads", "1");
  }

  @Test
  void stats_emptyCache_hitRatioOne() {
    Cli fresh = new Cli(tmp.resolve("fresh"));
    fresh.run("incr", "n", "0");
    fresh.run("delete", "n");

    assertThat(fresh.run("stats", "--json").text()).contains("\"count\": 0").contains("\"hitRatio\": 1.0");
  }

  /** A loose parser for a flat object of numbers: enough to check the shape. */
  private static Map<String, String> parseFlatJson(String json) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("\"(\\w+)\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }
}
