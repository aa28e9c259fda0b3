package dev.larder.cli;

import dev.larder.EvictionPolicy;
import dev.larder.server.LarderServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code larder serve}: runs the memcached-protocol server on the cache directory until SIGTERM or
 * SIGINT, then stops gracefully (stops accepting, finishes the requests already read, closes the
 * cache), so no acknowledged write is lost.
 */
@Command(
    name = "serve",
    description = {
      "Serve the cache over the memcached text and meta protocol until SIGTERM or Ctrl-C.",
      "Prints one line on standard error when ready. Without --auth-file it listens on loopback only"
          + " unless --bind is given."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  larder serve",
      "  larder serve --dir /var/cache/app --port 11311 --max-size 8g",
      "  larder serve --bind 0.0.0.0 --auth-file users.txt"
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DirOption dir;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "The address to listen on (default: 127.0.0.1).")
  String bind;

  @Option(names = "--port", defaultValue = "11211", description = "The TCP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--max-size", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "The cache size limit, e.g. 512m or 8g, stored in the directory (default: the directory's).")
  Long maxSize;

  @Option(names = "--policy", paramLabel = "POLICY", converter = PolicyConverter.class,
      description = "Eviction policy: s3-fifo, lru, lfu, fifo or none, stored in the directory (default: the directory's).")
  EvictionPolicy policy;

  @Option(names = "--max-item-size", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "1m",
      description = "The largest value a client may store (default: ${DEFAULT-VALUE}, as memcached).")
  long maxItemSize;

  @Option(names = "--max-connections", defaultValue = "10240",
      description = "The most client connections at once (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Close connections idle this long, e.g. 10m (default: never).")
  Duration idleTimeout;

  @Option(names = "--auth-file", paramLabel = "FILE",
      description = "A file of user:password lines; clients must authenticate as with memcached -Y.")
  Path authFile;

  @Option(names = "--threads", description = "Worker threads for cache operations (default: the processors, at least 2).")
  Integer threads;

  @Option(names = "--io-threads", description = "Network event loop threads (default: half the processors, at least 1).")
  Integer ioThreads;

  @Override
  public Integer call() throws InterruptedException {
    if (maxItemSize > (1 << 30)) {
      throw new IllegalArgumentException("--max-item-size must be at most 1g, got " + maxItemSize);
    }
    PrintWriter err = spec.commandLine().getErr();
    LarderServer.Builder b = LarderServer.builder(dir.path())
        .bind(bind != null ? bind : "127.0.0.1")
        .port(port)
        .maxItemSize((int) maxItemSize)
        .maxConnections(maxConnections);
    if (maxSize != null) {
      b.maxSize(maxSize);
    }
    if (policy != null) {
      b.policy(policy);
    }
    if (idleTimeout != null) {
      b.idleTimeout(idleTimeout);
    }
    if (authFile != null) {
      b.authFile(authFile);
    }
    if (threads != null) {
      b.threads(threads);
    }
    if (ioThreads != null) {
      b.ioThreads(ioThreads);
    }
    // Without --auth-file on a non-loopback --bind, the server logs a warning itself (on standard
    // error, as "larder: WARNING: ...").
    LarderServer server = b.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      err.println("larder serve: stopping");
      server.close();
      err.println("larder serve: stopped");
      stopped.countDown();
    }, "larder-serve-shutdown"));
    err.println("larder serve: ready on " + server.options().bind() + ":" + server.port()
        + ", data in " + dir.path().toAbsolutePath().normalize());
    stopped.await();
    return ExitCodes.OK;
  }

  /** Sizes: a number with an optional k, m, g or t suffix (powers of 1024). */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      String s = text.strip().toLowerCase(Locale.ROOT);
      long unit = 1;
      if (!s.isEmpty() && "kmgt".indexOf(s.charAt(s.length() - 1)) >= 0) {
        unit = 1L << (10 * ("kmgt".indexOf(s.charAt(s.length() - 1)) + 1));
        s = s.substring(0, s.length() - 1);
      } else if (s.endsWith("b")) {
        s = s.substring(0, s.length() - 1);
      }
      try {
        long v = Long.parseLong(s);
        if (v <= 0) {
          throw new TypeConversionException("'" + text + "' is not a positive size");
        }
        return Math.multiplyExact(v, unit);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new TypeConversionException("'" + text + "' is not a size: use a number with k, m, g or t (512m)");
      }
    }
  }

  /** Policy names as users write them. */
  static final class PolicyConverter implements ITypeConverter<EvictionPolicy> {
    @Override
    public EvictionPolicy convert(String text) {
      return switch (text.strip().toLowerCase(Locale.ROOT).replace('_', '-')) {
        case "s3-fifo", "s3fifo" -> EvictionPolicy.S3_FIFO;
        case "lru", "least-recently-used" -> EvictionPolicy.LEAST_RECENTLY_USED;
        case "lfu", "least-frequently-used" -> EvictionPolicy.LEAST_FREQUENTLY_USED;
        case "fifo", "least-recently-stored" -> EvictionPolicy.LEAST_RECENTLY_STORED;
        case "none" -> EvictionPolicy.NONE;
        default -> throw new TypeConversionException("'" + text + "' is not a policy: use s3-fifo, lru, lfu, fifo or none");
      };
    }
  }
}
