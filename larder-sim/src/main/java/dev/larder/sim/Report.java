package dev.larder.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formats a run's {@link Results}: the Markdown hit-ratio table with means, the two checks, the
 * Caffeine column against the README's, run times, and a CSV. Stateless.
 */
final class Report {
  static final String DEFAULT_ID = "larder_s3_fifo";

  private Report() {}

  /**
   * The outcome of one check.
   *
   * @param name what is checked
   * @param pass {@code true} or {@code false}, or {@code null} when the columns it needs were not run
   * @param detail the numbers behind the outcome
   */
  record Check(String name, Boolean pass, String detail) {
    String outcome() {
      return pass == null ? "SKIPPED" : pass ? "PASS" : "FAIL";
    }
  }

  /**
   * The two checks: (a) the default policy hits at least as often as LRU at every row, compared by
   * hit count; (b) the default's mean hit ratio is at least Caffeine's.
   */
  static List<Check> checks(Results results) {
    List<Check> checks = new ArrayList<>();
    int def = results.column(DEFAULT_ID);
    int lru = results.column("lru");
    int caf = results.column("caffeine");
    String a = "(a) Larder default (S3-FIFO) >= LRU at every row";
    if (def < 0 || lru < 0) {
      checks.add(new Check(a, null, "needs the LRU and S3_FIFO columns"));
    } else {
      List<String> below = new ArrayList<>();
      double worst = Double.POSITIVE_INFINITY;
      for (Results.Row r : results.rows) {
        double diff = r.percent(def) - r.percent(lru);
        worst = Math.min(worst, diff);
        if (r.hits()[def] < r.hits()[lru]) {
          below.add(String.format(Locale.ROOT, "%s/%d (%.2f < %.2f)", r.trace(), r.size(), r.percent(def), r.percent(lru)));
        }
      }
      checks.add(new Check(a, below.isEmpty(), below.isEmpty()
          ? String.format(Locale.ROOT, "%d of %d rows; smallest margin %+.2f points", results.rows.size(),
              results.rows.size(), worst)
          : "below LRU at " + String.join(", ", below)));
    }
    String b = "(b) mean of Larder default (S3-FIFO) >= mean of Caffeine";
    if (def < 0 || caf < 0) {
      checks.add(new Check(b, null, "needs the Caffeine and S3_FIFO columns"));
    } else {
      double md = results.mean(def);
      double mc = results.mean(caf);
      checks.add(new Check(b, md >= mc, String.format(Locale.ROOT, "%.2f vs %.2f (%+.2f points)", md, mc, md - mc)));
    }
    return checks;
  }

  /** The whole Markdown report. */
  static String markdown(Results results, List<Check> checks) {
    StringBuilder out = new StringBuilder();
    out.append("Hit ratio (%), hits / requests over the whole trace, no warm-up excluded.\n\n");
    table(results, out);
    out.append("\nChecks:\n\n");
    for (Check c : checks) {
      out.append("- ").append(c.name()).append(": **").append(c.outcome()).append("** (").append(c.detail()).append(")\n");
    }
    caffeineVersusReference(results, out);
    runtimes(results, out);
    return out.toString();
  }

  static void table(Results results, StringBuilder out) {
    out.append("| trace | size |");
    for (Column c : results.columns) {
      out.append(' ').append(c.label()).append(" |");
    }
    out.append("\n|---|---:|");
    out.append("---:|".repeat(results.columns.size()));
    out.append('\n');
    for (Results.Row r : results.rows) {
      out.append("| ").append(r.trace()).append(" | ").append(r.size()).append(" |");
      for (int c = 0; c < results.columns.size(); c++) {
        out.append(' ').append(pct(r.percent(c))).append(" |");
      }
      out.append('\n');
    }
    out.append("| **mean** | |");
    for (int c = 0; c < results.columns.size(); c++) {
      out.append(" **").append(pct(results.mean(c))).append("** |");
    }
    out.append('\n');
  }

  private static void caffeineVersusReference(Results results, StringBuilder out) {
    int caf = results.column("caffeine");
    if (caf < 0) {
      return;
    }
    out.append("\nCaffeine against the traces README (Caffeine 3.2.4 reference column):\n\n");
    out.append("| trace | size | this run | README | difference |\n|---|---:|---:|---:|---:|\n");
    int same = 0;
    int known = 0;
    for (Results.Row r : results.rows) {
      Reference.Row ref = Reference.row(r.trace(), r.size());
      if (ref == null) {
        continue;
      }
      known++;
      int mine = Reference.hundredths(r.hits()[caf], r.requests());
      same += mine == ref.caffeine() ? 1 : 0;
      out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %+.2f |%n", r.trace(), r.size(),
          pct(mine / 100.0), pct(ref.caffeine() / 100.0), (mine - ref.caffeine()) / 100.0));
    }
    out.append(String.format(Locale.ROOT, "%nIdentical to two decimals at %d of %d rows.%n", same, known));
  }

  private static void runtimes(Results results, StringBuilder out) {
    out.append("\nRun time per column (every row: opening the cache and replaying the trace; the checks after the replay and deleting the directory are not counted):\n\n");
    out.append("| column | seconds | requests | microseconds per request |\n|---|---:|---:|---:|\n");
    long requests = results.requests();
    for (int c = 0; c < results.columns.size(); c++) {
      long nanos = results.nanos(c);
      out.append(String.format(Locale.ROOT, "| %s | %.1f | %,d | %.2f |%n", results.columns.get(c).label(),
          nanos / 1e9, requests, nanos / 1e3 / requests));
    }
  }

  /** One line per (row, column): trace, size, requests, column, hits, hit ratio, seconds. */
  static String csv(Results results) {
    StringBuilder out = new StringBuilder("trace,size,requests,column,hits,hit_ratio_percent,seconds\n");
    for (Results.Row r : results.rows) {
      for (int c = 0; c < results.columns.size(); c++) {
        out.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%d,%.4f,%.3f%n", r.trace(), r.size(), r.requests(),
            results.columns.get(c).id(), r.hits()[c], r.percent(c), r.nanos()[c] / 1e9));
      }
    }
    return out.toString();
  }

  static String pct(double percent) {
    return String.format(Locale.ROOT, "%.2f", percent);
  }
}
