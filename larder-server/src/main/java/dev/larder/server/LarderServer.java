package dev.larder.server;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.EvictionPolicy;
import dev.larder.Larder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A memcached-protocol server (text and meta protocol) over a Larder cache directory: any language
 * with a memcached client can use the cache, and the data outlives the server.
 *
 * <pre>{@code
 * try (LarderServer server = LarderServer.builder(Path.of("larder-data")).port(11211).start()) {
 *   System.out.println("listening on " + server.port());
 *   ...
 * }
 * }</pre>
 *
 * <p>Keys are stored as UTF-8 string keys ({@link Codec#stringBytes()}) and values as bytes, so a
 * Java application that opens the same directory with {@code Larder.builder(dir).open()} sees the
 * server's entries under the same string keys, and the server sees its entries.
 *
 * <h2>Implementation notes</h2>
 *
 * <ul>
 *   <li>Netty NIO event loops only frame requests ({@link RequestDecoder}) and write replies. Every
 *       cache operation runs on a fixed pool of worker threads with a bounded queue; see {@link
 *       Connection} for ordering and backpressure.
 *   <li>Durability: a reply is sent after the core's write returned, so an acknowledged write
 *       survives a crash of the server as the directory's {@link dev.larder.Durability} promises
 *       (the default survives {@code kill -9}, not power loss).
 *   <li>{@link #close()} stops accepting, lets every request already read finish and its reply be
 *       written, then closes the connections and the cache.
 * </ul>
 *
 * <p>Thread-safe. Process-safe in the sense of the core: any number of servers and Java processes
 * may use one directory.
 */
public final class LarderServer implements AutoCloseable {
  static final System.Logger LOG = System.getLogger(LarderServer.class.getName());

  /** The version string of {@code version} and {@code stats}: memcached 1.6 compatible, then ours. */
  public static final String VERSION = "1.6.0-larder";

  /**
   * Settings of a server. Build them with {@link LarderServer#builder}.
   *
   * @param directory the cache directory
   * @param bind the address to listen on. Default: 127.0.0.1
   * @param port the TCP port, 0 for any free port. Default: 11211
   * @param maxSize the cache size limit in bytes, or null to keep the directory's. Default: null
   * @param policy the eviction policy, or null to keep the directory's. Default: null
   * @param maxItemSize the largest value accepted, in bytes. Default: 1 MiB, as memcached
   * @param maxConnections the most client connections at once; more are refused with {@code
   *     ERROR Too many open connections}. Default: 10240
   * @param idleTimeout close connections idle this long; zero for never. Default: zero
   * @param authFile a file of {@code user:password} lines to require text-protocol authentication,
   *     or null. Default: null
   * @param threads worker threads for cache operations. Default: the processors, at least 2
   * @param ioThreads event loop threads for the network. Default: half the processors, at least 1
   */
  public record Options(
      Path directory,
      String bind,
      int port,
      Long maxSize,
      EvictionPolicy policy,
      int maxItemSize,
      int maxConnections,
      Duration idleTimeout,
      Path authFile,
      int threads,
      int ioThreads) {

    /** Checks the settings. */
    public Options {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(bind, "bind");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      }
      if (maxItemSize < 1 || maxItemSize > 1 << 30) {
        throw new IllegalArgumentException("maxItemSize must be in 1..1073741824 bytes, got " + maxItemSize);
      }
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
      }
      if (idleTimeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must not be negative, got " + idleTimeout);
      }
      if (threads < 1 || ioThreads < 1) {
        throw new IllegalArgumentException("threads must be positive, got " + threads + " and " + ioThreads);
      }
    }
  }

  /** A builder of {@link Options} that starts the server. Not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private String bind = "127.0.0.1";
    private int port = 11211;
    private Long maxSize;
    private EvictionPolicy policy;
    private int maxItemSize = 1024 * 1024;
    private int maxConnections = 10240;
    private Duration idleTimeout = Duration.ZERO;
    private Path authFile;
    // Measured on 2 cores (bench/server-vs-memcached.sh, MemcacheLoad): 1-2 workers and 1 event
    // loop gave 0.6-0.67x memcached's ops/s, 4 workers and 2 loops 0.55x: every extra thread is
    // another wake-up to schedule per request on a busy machine.
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The address to listen on. */
    public Builder bind(String address) {
      this.bind = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The TCP port; 0 picks a free one (see {@link LarderServer#port()}). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The cache size limit in bytes, stored in the directory. */
    public Builder maxSize(long bytes) {
      this.maxSize = bytes;
      return this;
    }

    /** The eviction policy, stored in the directory. */
    public Builder policy(EvictionPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The largest value a client may store, in bytes. */
    public Builder maxItemSize(int bytes) {
      this.maxItemSize = bytes;
      return this;
    }

    /** The most client connections at once. */
    public Builder maxConnections(int n) {
      this.maxConnections = n;
      return this;
    }

    /** Closes connections idle this long; zero for never. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Requires memcached text-protocol authentication against this file of user:password lines. */
    public Builder authFile(Path file) {
      this.authFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Worker threads for cache operations. */
    public Builder threads(int n) {
      this.threads = n;
      return this;
    }

    /** Event loop threads. */
    public Builder ioThreads(int n) {
      this.ioThreads = n;
      return this;
    }

    /** The settings. */
    public Options options() {
      return new Options(directory, bind, port, maxSize, policy, maxItemSize, maxConnections, idleTimeout,
          authFile, threads, ioThreads);
    }

    /**
     * Opens the cache and starts listening.
     *
     * @throws IllegalArgumentException if a setting is invalid or the auth file has no users
     * @throws dev.larder.LarderException if the cache cannot be opened
     * @throws dev.larder.LarderException if the address is in use ("cannot listen on ...")
     * @throws java.io.UncheckedIOException if the auth file cannot be read
     */
    public LarderServer start() {
      return LarderServer.start(options());
    }
  }

  /** A builder for a server on {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  private final Options options;
  private final Cache<byte[], byte[]> cache;
  private final Backend backend;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService timer;
  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final Channel serverChannel;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final InetSocketAddress address;
  private boolean closed;

  private LarderServer(Options o) {
    this.options = o;
    AuthFile auth = o.authFile() != null ? AuthFile.read(o.authFile()) : null;
    InetAddress bindAddress;
    try {
      bindAddress = InetAddress.getByName(o.bind());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve the bind address " + o.bind(), e);
    }
    var b = Larder.builder(o.directory()).keyCodec(Codec.stringBytes()).valueCodec(Codec.bytes());
    if (o.maxSize() != null) {
      b.maxSize(o.maxSize());
    }
    if (o.policy() != null) {
      b.evictionPolicy(o.policy());
    }
    this.cache = b.open();
    boolean ok = false;
    AtomicInteger n = new AtomicInteger();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "larder-server-timer"));
    this.workers = new ThreadPoolExecutor(o.threads(), o.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(Math.max(1024, o.threads() * 64)),
        r -> daemon(r, "larder-server-worker-" + n.incrementAndGet()));
    this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.io = new MultiThreadIoEventLoopGroup(o.ioThreads(), NioIoHandler.newFactory());
    try {
      this.backend = new Backend(cache, o, auth, timer);
      TextCommands text = new TextCommands(backend);
      MetaCommands meta = new MetaCommands(backend, text);
      timer.scheduleWithFixedDelay(() -> backend.leases.sweep(backend.now()), 5, 5, TimeUnit.SECONDS);
      ServerBootstrap sb = new ServerBootstrap()
          .group(boss, io)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ServerStats s = backend.stats;
              if (s.currConnections.incrementAndGet() > o.maxConnections() || backend.stopping) {
                s.currConnections.decrementAndGet();
                s.rejectedConnections.increment();
                ch.writeAndFlush(Unpooled.copiedBuffer("ERROR Too many open connections\r\n", StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
                return;
              }
              s.totalConnections.increment();
              Connection c = new Connection(backend, text, meta, workers);
              connections.add(c);
              channels.add(ch);
              ch.closeFuture().addListener(f -> {
                s.currConnections.decrementAndGet();
                connections.remove(c);
                channels.remove(ch);
              });
              if (!o.idleTimeout().isZero()) {
                ch.pipeline().addLast(new IdleStateHandler(0, 0, o.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
              }
              ch.pipeline().addLast(new RequestDecoder(o.maxItemSize()), c);
            }
          });
      try {
        this.serverChannel = sb.bind(bindAddress, o.port()).syncUninterruptibly().channel();
      } catch (Exception e) { // Netty rethrows the BindException unchecked
        if (e instanceof java.net.BindException) {
          throw new dev.larder.LarderException("cannot listen on " + o.bind() + ":" + o.port() + ": "
              + e.getMessage() + " (is memcached or another server using that port? choose another with --port)", e);
        }
        throw e;
      }
      this.address = (InetSocketAddress) serverChannel.localAddress();
      ok = true;
    } finally {
      if (!ok) {
        shutdownThreads();
        cache.close();
      }
    }
    if (auth == null && !bindAddress.isLoopbackAddress()) {
      LOG.log(System.Logger.Level.WARNING, "listening on " + o.bind()
          + " without --auth-file: anyone who can reach this address can read and write the cache");
    }
    LOG.log(System.Logger.Level.INFO, "larder server on " + address + ", data in " + o.directory().toAbsolutePath());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Starts a server with these settings.
   *
   * @throws IllegalArgumentException if the bind address cannot be resolved or the auth file has
   *     no users
   */
  public static LarderServer start(Options options) {
    return new LarderServer(options);
  }

  /** The settings this server runs with. */
  public Options options() {
    return options;
  }

  /** The bound port (the real one when the settings asked for port 0). */
  public int port() {
    return address.getPort();
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return address;
  }

  /** The cache the server serves; owned by the server, closed by {@link #close()}. */
  public Cache<byte[], byte[]> cache() {
    return cache;
  }

  /**
   * Stops gracefully: stops accepting connections and reading requests, waits up to {@code
   * timeout} for every request already read to finish and its reply to be written, then closes the
   * connections and the cache. Every write that was acknowledged is in the directory. Idempotent.
   */
  public synchronized void stop(Duration timeout) {
    if (closed) {
      return;
    }
    closed = true;
    backend.stopping = true;
    serverChannel.close().syncUninterruptibly();
    for (Connection c : connections) {
      c.requestAutoReadUpdate(); // reads stop: stopping is set
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && !connections.stream().allMatch(Connection::idle)) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Channel ch : channels) {
      // Close after the replies already queued are written.
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    for (Channel ch : channels) {
      ch.closeFuture().awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    shutdownThreads();
    backend.leases.releaseAll();
    cache.close();
    LOG.log(System.Logger.Level.INFO, "larder server on " + address + " stopped");
  }

  private void shutdownThreads() {
    workers.shutdown();
    try {
      workers.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
    io.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** {@link #stop(Duration)} with 30 seconds. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
