package dev.larder.cli;

import dev.larder.Cache;
import dev.larder.Finding;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code larder check [--fix]}: verifies the whole cache and prints what it found, one finding per
 * line on standard output, with a summary on standard error.
 *
 * <p>Exit code 2 whenever something was found, with or without {@code --fix}: a script learns that
 * the cache was damaged even when the damage was repaired, and the lines say "(fixed)". Running
 * {@code check} again after {@code --fix} exits with 0 when everything was repaired. (Exiting with
 * 0 after a complete repair was the alternative; it would hide damage from monitoring.)
 */
@Command(
    name = "check",
    description = {
      "Verifies every entry, checksum, index, counter and value file; prints each problem on a line.",
      "Exits with 0 when nothing was found and with 2 when problems were found, even with --fix (the "
          + "lines then end in '(fixed)', and a second check exits with 0). Holds the write lock while it "
          + "walks the entries: other writers wait meanwhile."
    })
final class CheckCommand extends CacheCommand {

  @Option(names = "--fix", description = "Repair what is found: remove damaged entries, rebuild indexes "
      + "and counters, delete orphaned files.")
  boolean fix;

  @Override
  int run(Cache<String, byte[]> cache) {
    List<Finding> findings = cache.check(fix);
    PrintWriter out = out();
    for (Finding f : findings) {
      out.print(f);
      out.print('\n');
    }
    out.flush();
    err().println(summary(findings));
    return findings.isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS;
  }

  private String summary(List<Finding> findings) {
    if (findings.isEmpty()) {
      return "check: no problems found in " + dir.path();
    }
    long fixed = findings.stream().filter(Finding::fixed).count();
    String found = findings.size() == 1 ? "1 problem found" : findings.size() + " problems found";
    return fix ? "check: " + found + ", " + fixed + " fixed" : "check: " + found + "; run check --fix to repair";
  }
}
