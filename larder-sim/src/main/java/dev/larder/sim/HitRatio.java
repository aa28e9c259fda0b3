package dev.larder.sim;

import dev.larder.EvictionPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Replays the cache2k access traces against several caches side by side and reports hit ratios:
 * an exact LRU (which must reproduce the traces README's LRU column to the last digit, or the run
 * stops), Caffeine, and the real persistent Larder cache under each selected eviction policy. Each
 * request is a lookup followed, on a miss, by a store; the hit ratio is hits over all requests.
 *
 * <p>Prints a Markdown report (table, means, checks, run times) to standard output and progress to
 * standard error, writes a CSV, and with {@code --png} a plot. Exit status: 0 when every check
 * passes or is skipped, 1 when a check fails or a cache fails its own verification, 2 on bad
 * arguments, unreadable traces or an LRU column that differs from the README.
 *
 * <pre>{@code
 * java -jar larder-sim/target/larder-sim.jar --policies S3_FIFO,LEAST_RECENTLY_USED \
 *     --png docs/benchmarks/hit-ratio.png
 * }</pre>
 *
 * Not a library: one run per JVM, single-threaded, so that every column replays under the same
 * conditions and the run times compare.
 */
public final class HitRatio {
  private static final String USAGE = String.join("\n",
      "usage: java -jar larder-sim.jar [options]",
      "  --traces DIR        directory with cache2k_*.trace.xz (default: ../shared/traces from the repository root)",
      "  --policies LIST     Larder policies, comma-separated: S3_FIFO, LEAST_RECENTLY_USED (LRU),",
      "                      LEAST_RECENTLY_STORED (LRS), LEAST_FREQUENTLY_USED (LFU), all, or none (default: all)",
      "  --only LIST         traces to replay, comma-separated: web07, web12, orm-night, orm-busy (default: all)",
      "  --png FILE          write the plot there",
      "  --csv FILE          write the CSV there (default: larder-sim/target/hit-ratio.csv in the repository)",
      "  --markdown FILE     also write the Markdown report there",
      "  --work DIR          where Larder's temporary cache directories go (default: java.io.tmpdir)",
      "  --help              this text");

  private static final Set<String> OPTIONS =
      Set.of("--traces", "--policies", "--only", "--png", "--csv", "--markdown", "--work");

  private HitRatio() {}

  /** Runs the replay; see the class description for the options and the exit status. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int status;
    try {
      status = run(Options.parse(args), System.out, System.err);
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      status = 2;
    } catch (ReferenceMismatchException e) {
      System.err.println("FAILED: " + e.getMessage());
      status = 2;
    } catch (IOException e) {
      System.err.println("error: " + e);
      status = 2;
    }
    System.exit(status);
  }

  /** Bad command-line arguments. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The exact LRU, or a trace's length, differs from the traces README. */
  static final class ReferenceMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReferenceMismatchException(String message) {
      super(message);
    }
  }

  /**
   * The parsed command line.
   *
   * @param help whether to print the usage only
   * @param traces the traces directory
   * @param policies the Larder policies, in table order
   * @param only the trace names to replay
   * @param png the plot file, or {@code null}
   * @param csv the CSV file
   * @param markdown the report file, or {@code null}
   * @param work the parent of Larder's temporary directories
   */
  record Options(boolean help, Path traces, List<EvictionPolicy> policies, Set<String> only, Path png, Path csv,
      Path markdown, Path work) {

    static Options parse(String[] args) {
      Path traces = null;
      String policies = "all";
      String only = null;
      Path png = null;
      Path csv = null;
      Path markdown = null;
      Path work = Path.of(System.getProperty("java.io.tmpdir"));
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--help") || a.equals("-h")) {
          return new Options(true, null, List.of(), Set.of(), null, null, null, null);
        }
        if (!a.startsWith("--")) {
          throw new UsageException("unexpected argument " + a);
        }
        int eq = a.indexOf('=');
        String name = eq > 0 ? a.substring(0, eq) : a;
        if (!OPTIONS.contains(name)) {
          throw new UsageException("unknown option " + name);
        }
        String value;
        if (eq > 0) {
          value = a.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new UsageException(a + " needs a value");
        }
        switch (name) {
          case "--traces": traces = Path.of(value); break;
          case "--policies": policies = value; break;
          case "--only": only = value; break;
          case "--png": png = Path.of(value); break;
          case "--csv": csv = Path.of(value); break;
          case "--markdown": markdown = Path.of(value); break;
          case "--work": work = Path.of(value); break;
          default: throw new UsageException("unknown option " + name);
        }
      }
      Path root = repositoryRoot();
      if (traces == null) {
        traces = defaultTraces(root);
      }
      if (csv == null) {
        csv = root != null ? root.resolve("larder-sim/target/hit-ratio.csv") : Path.of("hit-ratio.csv");
      }
      return new Options(false, traces, parsePolicies(policies), parseTraces(only), png, csv, markdown, work);
    }
  }

  static List<EvictionPolicy> parsePolicies(String list) {
    List<EvictionPolicy> order = List.of(EvictionPolicy.S3_FIFO, EvictionPolicy.LEAST_RECENTLY_USED,
        EvictionPolicy.LEAST_RECENTLY_STORED, EvictionPolicy.LEAST_FREQUENTLY_USED);
    String trimmed = list.trim().toUpperCase(Locale.ROOT);
    if (trimmed.equals("ALL")) {
      return order;
    }
    if (trimmed.equals("NONE") || trimmed.isEmpty()) {
      return List.of();
    }
    Set<EvictionPolicy> chosen = new LinkedHashSet<>();
    for (String part : trimmed.split(",")) {
      String p = part.trim().replace('-', '_');
      switch (p) {
        case "LRU": p = "LEAST_RECENTLY_USED"; break;
        case "LRS": p = "LEAST_RECENTLY_STORED"; break;
        case "LFU": p = "LEAST_FREQUENTLY_USED"; break;
        case "S3FIFO": case "DEFAULT": p = "S3_FIFO"; break;
        default: break;
      }
      EvictionPolicy policy;
      try {
        policy = EvictionPolicy.valueOf(p);
      } catch (IllegalArgumentException e) {
        throw new UsageException("unknown policy " + part.trim() + "; expected one of " + order);
      }
      if (policy == EvictionPolicy.NONE) {
        throw new UsageException("policy NONE never evicts, so it cannot be replayed");
      }
      chosen.add(policy);
    }
    List<EvictionPolicy> result = new ArrayList<>(order);
    result.retainAll(chosen);
    return result;
  }

  static Set<String> parseTraces(String list) {
    Set<String> known = new LinkedHashSet<>();
    for (Reference.TraceSpec t : Reference.TRACES) {
      known.add(t.name());
    }
    if (list == null || list.isBlank() || list.trim().equalsIgnoreCase("all")) {
      return known;
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : list.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (!known.contains(name)) {
        throw new UsageException("unknown trace " + part.trim() + "; expected one of " + known);
      }
      chosen.add(name);
    }
    return chosen;
  }

  /**
   * The repository root: the nearest directory, above the working directory or above this jar,
   * that holds both {@code pom.xml} and {@code larder-sim}; {@code null} if there is none.
   */
  static Path repositoryRoot() {
    for (Path start : startingPoints()) {
      for (Path p = start; p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("larder-sim"))) {
          return p;
        }
      }
    }
    return null;
  }

  private static List<Path> startingPoints() {
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    try {
      var source = HitRatio.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        starts.add(Path.of(source.getLocation().toURI()).toAbsolutePath());
      }
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      // No usable location: the working directory alone decides.
    }
    return starts;
  }

  /**
   * {@code ../shared/traces} from the repository root; failing that, the nearest {@code
   * shared/traces} above the working directory or the jar.
   */
  static Path defaultTraces(Path root) {
    if (root != null) {
      Path p = root.resolve("../shared/traces").normalize();
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    for (Path start : startingPoints()) {
      for (Path p = start; p != null; p = p.getParent()) {
        if (Files.isDirectory(p.resolve("shared/traces"))) {
          return p.resolve("shared/traces");
        }
      }
    }
    throw new UsageException("cannot find the traces directory (../shared/traces from the repository root "
        + (root == null ? "which was not found" : root) + "); pass --traces DIR");
  }

  static int run(Options o, PrintStream out, PrintStream err) throws IOException {
    if (o.help()) {
      out.println(USAGE);
      return 0;
    }
    List<Column> columns = new ArrayList<>();
    columns.add(Column.lru());
    columns.add(Column.caffeine());
    for (EvictionPolicy p : o.policies()) {
      columns.add(Column.larder(p, o.work()));
    }
    err.printf(Locale.ROOT, "traces: %s%ncolumns: %s%n", o.traces(), labels(columns));
    Results results = new Results(columns);
    List<String> problems = new ArrayList<>();
    long start = System.nanoTime();
    for (Reference.TraceSpec spec : Reference.TRACES) {
      if (!o.only().contains(spec.name())) {
        continue;
      }
      Path file = o.traces().resolve(spec.file());
      if (!Files.isRegularFile(file)) {
        throw new UsageException("no trace file " + file + "; pass --traces DIR");
      }
      Trace trace = Trace.readXz(spec.name(), file);
      if (trace.requests() != spec.requests()) {
        throw new ReferenceMismatchException(file + " holds " + trace.requests() + " requests, the README says "
            + spec.requests());
      }
      err.printf(Locale.ROOT, "%s: %,d requests, %,d distinct keys%n", spec.name(), trace.requests(),
          trace.distinctKeys());
      for (int size : spec.sizes()) {
        results.rows.add(replayRow(trace, size, columns, problems, err));
      }
    }
    List<Report.Check> checks = Report.checks(results);
    String report = Report.markdown(results, checks);
    out.print(report);
    out.printf(Locale.ROOT, "%nTotal run time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    if (!problems.isEmpty()) {
      out.println("\nProblems found by the caches' own verification:");
      problems.forEach(p -> out.println("- " + p));
    }
    write(o.csv(), Report.csv(results));
    err.println("wrote " + o.csv());
    if (o.markdown() != null) {
      write(o.markdown(), report);
      err.println("wrote " + o.markdown());
    }
    if (o.png() != null) {
      Plot.write(results, o.png());
      err.println("wrote " + o.png());
    }
    boolean failed = !problems.isEmpty() || checks.stream().anyMatch(c -> Boolean.FALSE.equals(c.pass()));
    return failed ? 1 : 0;
  }

  private static Results.Row replayRow(Trace trace, int size, List<Column> columns, List<String> problems,
      PrintStream err) {
    int[] keys = trace.keys();
    long[] hits = new long[columns.size()];
    long[] nanos = new long[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      Column column = columns.get(c);
      long t0 = System.nanoTime();
      String problem;
      try (CacheModel model = column.factory().apply(size)) {
        hits[c] = replay(model, keys);
        nanos[c] = System.nanoTime() - t0;
        problem = model.verify(hits[c], keys.length);
      }
      err.printf(Locale.ROOT, "  %-9s %6d  %-26s %6.2f%%  %7.1f s%n", trace.name(), size, column.label(),
          hits[c] * 100.0 / keys.length, nanos[c] / 1e9);
      if (problem != null) {
        String p = trace.name() + "/" + size + " " + column.label() + ": " + problem;
        err.println("  PROBLEM " + p);
        problems.add(p);
      }
      if (column.id().equals("lru")) {
        requireReferenceLru(trace, size, hits[c]);
      }
    }
    return new Results.Row(trace.name(), size, keys.length, hits, nanos);
  }

  /** Every request, in order: returns the number of hits. */
  static long replay(CacheModel model, int[] keys) {
    long hits = 0;
    for (int key : keys) {
      if (model.request(key)) {
        hits++;
      }
    }
    return hits;
  }

  private static void requireReferenceLru(Trace trace, int size, long hits) {
    Reference.Row ref = Reference.row(trace.name(), size);
    if (ref == null) {
      return;
    }
    int mine = Reference.hundredths(hits, trace.requests());
    if (mine != ref.lru()) {
      throw new ReferenceMismatchException(String.format(Locale.ROOT,
          "exact LRU on %s at size %d gives %.2f%% (%d hits of %d), the traces README says %.2f%%; the trace or "
              + "the replay is wrong, so no other column can be trusted", trace.name(), size, mine / 100.0, hits,
          trace.requests(), ref.lru() / 100.0));
    }
  }

  private static List<String> labels(List<Column> columns) {
    List<String> labels = new ArrayList<>();
    columns.forEach(c -> labels.add(c.label()));
    return labels;
  }

  private static void write(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
