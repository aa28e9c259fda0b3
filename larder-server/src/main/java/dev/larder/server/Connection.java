package dev.larder.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: queues its decoded requests and runs them on the disk executor, one
 * connection's requests strictly in order (so pipelined replies come back in order), never on the
 * event loop.
 *
 * <h2>Concurrency</h2>
 *
 * At most one drain task per connection is queued or running at a time ({@link #scheduled}), so a
 * connection's requests run serially, while different connections run in parallel on the
 * executor's threads. A drain runs at most {@value #BATCH} requests, writes their replies as one
 * buffer, then gives its thread up, so a deep pipeline does not starve other connections.
 *
 * <h2>Backpressure</h2>
 *
 * Nothing here is unbounded. When a connection has {@value #HIGH_WATER} requests waiting, when the
 * executor's bounded queue refuses a task, or when the client does not read its replies (the
 * channel is not writable), the connection stops reading from its socket ({@code autoRead} off)
 * and the kernel's buffers push back on the client; it reads again once the backlog drains to
 * {@value #LOW_WATER}.
 */
final class Connection extends ChannelInboundHandlerAdapter {
  static final int HIGH_WATER = 256;
  static final int LOW_WATER = 32;
  static final int BATCH = 64;
  private static final int FLUSH_BYTES = 64 * 1024;

  private final Backend backend;
  private final TextCommands text;
  private final MetaCommands meta;
  private final Executor executor;
  private final Session session = new Session();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private boolean scheduled; // guarded by this: a drain is queued or running
  private boolean closing; // guarded by this
  private boolean paused; // guarded by this: the backlog reached HIGH_WATER and has not drained to LOW_WATER
  private boolean writeBlocked; // guarded by this: the client does not read its replies
  private boolean executorFull; // guarded by this: the executor refused the last drain
  private volatile ChannelHandlerContext ctx;

  Connection(Backend backend, TextCommands text, MetaCommands meta, Executor executor) {
    this.backend = backend;
    this.text = text;
    this.meta = meta;
    this.executor = executor;
    this.session.authenticated = backend.auth == null;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Request r = (Request) msg;
    boolean submit;
    synchronized (this) {
      if (closing) {
        return;
      }
      queue.add(r);
      if (queue.size() >= HIGH_WATER) {
        paused = true;
      }
      submit = !scheduled;
      if (submit) {
        scheduled = true;
      }
    }
    updateAutoRead();
    if (submit) {
      submit();
    }
  }

  /**
   * Applies the reading state. Decision: only ever called on the event loop, and it reads the
   * state at that moment, so the last call always wins with the latest state. (Setting autoRead
   * from the worker and the event loop directly lost a wake-up under load: a stale "pause"
   * landed after the worker's "resume", and the connection never read again, not even its EOF.)
   */
  private void updateAutoRead() {
    boolean read;
    synchronized (this) {
      read = !closing && !paused && !writeBlocked && !executorFull && !backend.stopping;
    }
    Channel ch = ctx.channel();
    if (ch.config().isAutoRead() != read) {
      ch.config().setAutoRead(read);
    }
  }

  /** Asks the event loop to apply the reading state; from any thread. */
  void requestAutoReadUpdate() {
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.channel().eventLoop().execute(this::updateAutoRead);
    }
  }

  private void submit() {
    try {
      executor.execute(this::drain);
      boolean changed;
      synchronized (this) {
        changed = executorFull;
        executorFull = false;
      }
      if (changed) {
        requestAutoReadUpdate();
      }
    } catch (RejectedExecutionException e) {
      Channel ch = ctx.channel();
      if (backend.stopping || !ch.isActive()) {
        synchronized (this) {
          scheduled = false;
          queue.clear();
        }
        ch.close();
        return;
      }
      // The executor's queue is full: stop reading and try again shortly.
      synchronized (this) {
        executorFull = true;
      }
      ch.eventLoop().execute(this::updateAutoRead);
      ch.eventLoop().schedule(this::submit, 1, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether no request is waiting or running; for a graceful stop. */
  synchronized boolean idle() {
    return !scheduled && queue.isEmpty();
  }

  private void drain() {
    Channel ch = ctx.channel();
    ByteBuf out = ctx.alloc().buffer(256);
    boolean close = false;
    boolean blocked = false;
    int n = 0;
    try {
      while (true) {
        if (!ch.isWritable() && ch.isActive()) {
          // The client is not reading: stop until the channel drains (channelWritabilityChanged).
          blocked = true;
          break;
        }
        Request r;
        synchronized (this) {
          r = queue.poll();
        }
        if (r == null) {
          break;
        }
        close = run(r, out);
        if (close) {
          break;
        }
        if (++n >= BATCH || out.readableBytes() >= FLUSH_BYTES) {
          ch.writeAndFlush(out);
          out = ctx.alloc().buffer(256);
          if (n >= BATCH) {
            break;
          }
        }
      }
    } catch (Throwable t) {
      close = true;
      LarderServer.LOG.log(System.Logger.Level.WARNING, "closing a connection after an unexpected failure", t);
    }
    if (out.isReadable()) {
      ch.writeAndFlush(out);
    } else {
      out.release();
    }
    if (close) {
      synchronized (this) {
        closing = true;
        queue.clear();
        scheduled = false;
      }
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    boolean again;
    synchronized (this) {
      if (blocked) {
        writeBlocked = true;
      }
      if (queue.size() <= LOW_WATER) {
        paused = false;
      }
      again = !queue.isEmpty() && !writeBlocked;
      scheduled = again;
    }
    requestAutoReadUpdate();
    if (blocked && ch.isWritable()) {
      // Writability came back before writeBlocked was set: do not wait for an event that passed.
      ch.eventLoop().execute(this::onWritable);
    }
    if (again) {
      submit();
    }
  }

  /** Runs one request; true when the connection must close after it. */
  private boolean run(Request r, ByteBuf out) {
    int mark = out.writerIndex();
    try {
      if (!session.authenticated) {
        return authenticate(r, out);
      }
      if (r.error != null && !r.tooLarge) {
        Reply.line(out, r.error);
        return r.close;
      }
      String cmd = r.command();
      if (cmd.length() == 2 && cmd.charAt(0) == 'm') {
        meta.execute(r, session, out);
        return false;
      }
      return text.execute(r, session, out) == TextCommands.After.CLOSE;
    } catch (IllegalArgumentException e) {
      // The core refused the request (an entry larger than the cache's size limit, for one).
      out.writerIndex(mark);
      Reply.line(out, "SERVER_ERROR " + oneLine(e.getMessage()));
      return false;
    } catch (dev.larder.CacheFullException e) {
      out.writerIndex(mark);
      Reply.line(out, "SERVER_ERROR out of memory storing object");
      return false;
    } catch (RuntimeException e) {
      out.writerIndex(mark);
      LarderServer.LOG.log(System.Logger.Level.WARNING, "request failed: " + r, e);
      Reply.line(out, "SERVER_ERROR " + oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
      return false;
    }
  }

  private static String oneLine(String s) {
    String m = s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
    return m.length() > 200 ? m.substring(0, 200) : m;
  }

  /**
   * memcached 1.6's text-protocol authentication: the first request must be a {@code set} whose
   * data is {@code <user> <password>}; anything else, or a wrong pair, gets its error and the
   * connection is closed, as memcached does.
   */
  private boolean authenticate(Request r, ByteBuf out) {
    if (!r.command().equals("set") || r.data == null) {
      Reply.line(out, "CLIENT_ERROR unauthenticated");
      return true;
    }
    backend.stats.authCmds.increment();
    switch (backend.auth.check(r.data)) {
      case OK -> {
        session.authenticated = true;
        Reply.line(out, "STORED");
        return false;
      }
      case BAD_FORMAT -> {
        backend.stats.authErrors.increment();
        Reply.line(out, "CLIENT_ERROR bad authentication token format");
        return true;
      }
      default -> {
        backend.stats.authErrors.increment();
        Reply.line(out, "CLIENT_ERROR authentication failure");
        return true;
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    onWritable();
    ctx.fireChannelWritabilityChanged();
  }

  /** On the event loop: if the channel is writable again, resumes a connection paused on writes. */
  private void onWritable() {
    if (!ctx.channel().isWritable()) {
      return;
    }
    boolean submit;
    synchronized (this) {
      writeBlocked = false;
      submit = !scheduled && !queue.isEmpty() && !closing;
      if (submit) {
        scheduled = true;
      }
    }
    updateAutoRead();
    if (submit) {
      submit();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    synchronized (this) {
      closing = true;
      queue.clear();
    }
    if (!session.won.isEmpty()) {
      // A winner that disconnects without storing gives its leases up at once; off the event loop.
      try {
        executor.execute(() -> backend.leases.releaseAll(session));
      } catch (RejectedExecutionException e) {
        // stopping: the core frees the leases when the process exits, or after their timeout
      }
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Connection resets and the like: nothing to answer to.
    LarderServer.LOG.log(System.Logger.Level.DEBUG, "connection error", cause);
    ctx.close();
  }
}
