package dev.larder.bench;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time of {@code Namespace.invalidate()} against the number of entries in the namespace: it
 * should not grow. Each invocation refills nothing; after the first invalidation the namespace is
 * empty from the reader's side, but the invalidation itself is the same one write whatever the
 * size, which is what is measured (old generations are reclaimed in the background, which this
 * benchmark leaves running, as a user's process would).
 *
 * <p>Each iteration first writes {@code entries} keys into the namespace (not timed: JMH's
 * {@code Level.Iteration} setup), then times single invalidations.
 *
 * <p>Run: {@code java -jar larder-bench/target/benchmarks.jar NamespaceInvalidateBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 15, batchSize = 1)
public class NamespaceInvalidateBenchmark {

  @Param({"1000", "10000", "100000"})
  int entries;

  private Path dir;
  private Cache<String, byte[]> cache;
  private Namespace<String, byte[]> ns;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory(Path.of(System.getProperty("larder.bench.dir", System.getProperty("java.io.tmpdir"))),
        "ns-invalidate");
    cache = Larder.builder(dir).maxSize(8L << 30).open();
    ns = cache.namespace("cart");
  }

  /** Fills the namespace's current generation; not timed. */
  @Setup(Level.Iteration)
  public void fill() {
    Map<String, byte[]> batch = new LinkedHashMap<>();
    for (int i = 0; i < entries; i++) {
      batch.put("item:" + i, new byte[100]);
      if (batch.size() == 1000 || i == entries - 1) {
        ns.putAll(batch);
        batch.clear();
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    cache.close();
    GetPutBenchmark.deleteRecursively(dir);
  }

  /** One invalidation of a namespace holding {@code entries} entries. */
  @Benchmark
  public long invalidate() {
    ns.invalidate();
    return entries;
  }
}
