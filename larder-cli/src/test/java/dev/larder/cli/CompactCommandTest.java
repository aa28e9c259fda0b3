package dev.larder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compact}: frees pages after deletions, keeps entries, refuses an open or missing cache. */
class CompactCommandTest {
  @TempDir Path tmp;

  @Test
  void compact_afterDeletes_reportsFreedSpaceAndKeepsEntries() {
    Path dir = tmp.resolve("cache");
    try (Cache<String, byte[]> cache = Caches.open(dir)) {
      for (int i = 0; i < 4_000; i++) {
        cache.put("k" + i, new byte[2048]);
      }
      for (int i = 1; i < 4_000; i++) {
        cache.delete("k" + i);
      }
    }
    Cli cli = new Cli(dir);

    CliResult r = cli.run("compact");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).containsPattern("compact: .*MiB of pages before, .*MiB after, [1-9][0-9.]* MiB freed");
    assertThat(cli.run("get", "k0").code()).isZero();
    assertThat(cli.run("get", "k1").code()).isEqualTo(ExitCodes.ABSENT);
    assertThat(Caches.check(dir)).isEmpty();
  }

  @Test
  void compact_openCache_exits3AndSaysWhy() {
    Path dir = tmp.resolve("cache");
    try (Cache<String, byte[]> cache = Caches.open(dir)) {
      cache.put("a", new byte[] {1});

      CliResult r = new Cli(dir).run("compact");

      assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.ERROR);
      assertThat(r.err()).contains("cannot compact").contains("open in this process");
      assertThat(cache.get("a")).containsExactly(1);
    }
  }

  @Test
  void compact_missingDirectory_exits3() {
    CliResult r = new Cli(tmp.resolve("nope")).run("compact");

    assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("does not exist");
    assertThat(tmp.resolve("nope")).doesNotExist();
  }
}
