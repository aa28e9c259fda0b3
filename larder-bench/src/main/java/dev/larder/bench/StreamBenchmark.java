package dev.larder.bench;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.Put;
import dev.larder.StoredValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming a 100 MiB value into Larder and out of it, against a plain file copy of the same bytes
 * on the same file system as the ratio base. Every operation reads 100 MiB from one file (in the
 * page cache after the first round) and writes 100 MiB to another.
 *
 * <ul>
 *   <li>{@code FILE_COPY}: {@code Files.copy(source, target, REPLACE_EXISTING)}.
 *   <li>{@code FILE_TRANSFER_TO}: {@code FileChannel.transferTo} from the source to a truncated
 *       target.
 *   <li>{@code LARDER_PUT_STREAM}: {@code cache.putStream(key, Files.newInputStream(source))}: the
 *       value goes to a blob file, replacing the previous one.
 *   <li>{@code LARDER_OPEN_INPUT_STREAM}: {@code cache.open(key).inputStream().transferTo(out)} to a
 *       truncated target: the checksum is verified on the way.
 *   <li>{@code LARDER_OPEN_TRANSFER_TO}: {@code cache.open(key).channel().transferTo} to a truncated
 *       target: zero-copy, no checksum.
 * </ul>
 *
 * <pre>
 * java -jar larder-bench/target/benchmarks.jar StreamBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class StreamBenchmark {
  /** The size of the streamed value: 100 MiB. */
  static final int SIZE = 100 << 20;

  /** What one operation does. */
  public enum Op {
    FILE_COPY, FILE_TRANSFER_TO, LARDER_PUT_STREAM, LARDER_OPEN_INPUT_STREAM, LARDER_OPEN_TRANSFER_TO
  }

  @Param({"FILE_COPY", "FILE_TRANSFER_TO", "LARDER_PUT_STREAM", "LARDER_OPEN_INPUT_STREAM",
      "LARDER_OPEN_TRANSFER_TO"})
  Op op;

  private Path dir;
  private Path source;
  private Path target;
  private Cache<String, byte[]> cache;

  /** Writes the 100 MiB source file and stores it in a new cache under {@code "big"}. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = BenchFiles.newDirectory("larder-stream-");
    source = dir.resolve("source.bin");
    target = dir.resolve("target.bin");
    byte[] chunk = new byte[1 << 20];
    SplittableRandom random = new SplittableRandom(100);
    try (OutputStream out = Files.newOutputStream(source)) {
      for (int i = 0; i < SIZE / chunk.length; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    cache = Larder.builder(dir.resolve("cache")).maxSize(StoreType.MAP_SIZE).open();
    try (InputStream in = Files.newInputStream(source)) {
      cache.putStream("big", in, Put.DEFAULT);
    }
  }

  /** Checks the sizes, closes the cache and deletes the directory. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try {
      try (StoredValue v = cache.open("big")) {
        requireSize("the stored value", v.size());
      }
      if (Files.exists(target)) {
        requireSize(target.toString(), Files.size(target));
      }
    } finally {
      cache.close();
      GetPutBenchmark.deleteRecursively(dir);
    }
  }

  /** Moves 100 MiB as {@link #op} says; returns the bytes moved. */
  @Benchmark
  public long stream() throws IOException {
    switch (op) {
      case FILE_COPY:
        return Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING) == null ? 0 : SIZE;
      case FILE_TRANSFER_TO:
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
            FileChannel out = openTarget()) {
          return transfer(in, 0, in.size(), out);
        }
      case LARDER_PUT_STREAM:
        try (InputStream in = Files.newInputStream(source)) {
          return cache.putStream("big", in, Put.DEFAULT);
        }
      case LARDER_OPEN_INPUT_STREAM:
        try (StoredValue v = cache.open("big");
            InputStream in = v.inputStream();
            OutputStream out = Files.newOutputStream(target)) {
          return in.transferTo(out);
        }
      case LARDER_OPEN_TRANSFER_TO:
        try (StoredValue v = cache.open("big"); FileChannel out = openTarget()) {
          FileChannel in = v.channel();
          return transfer(in, in.position(), v.size(), out);
        }
      default:
        throw new IllegalStateException("unknown op " + op);
    }
  }

  private FileChannel openTarget() throws IOException {
    return FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static long transfer(FileChannel in, long start, long size, FileChannel out)
      throws IOException {
    long done = 0;
    while (done < size) {
      done += in.transferTo(start + done, size - done, out);
    }
    return done;
  }

  private static void requireSize(String what, long size) {
    if (size != SIZE) {
      throw new UncheckedIOException(new IOException(what + " has " + size + " bytes, expected " + SIZE));
    }
  }
}
