package dev.larder.server;

import dev.larder.CasResult;
import dev.larder.Entry;
import dev.larder.Put;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * The classic text protocol: retrieval, storage, arithmetic, touch, delete, flush_all, stats,
 * version, verbosity, quit; with memcached 1.6's reply grammar (checked byte for byte against
 * memcached 1.6.18). Runs on a worker thread, never on the event loop. Thread-safe: stateless
 * apart from the {@link Backend}.
 */
final class TextCommands {
  static final String ERROR = "ERROR";
  static final String BAD_FORMAT = "CLIENT_ERROR bad command line format";

  private final Backend b;
  private final StatsCommand stats;

  TextCommands(Backend backend) {
    this.b = backend;
    this.stats = new StatsCommand(backend);
  }

  /** What the connection does after a request. */
  enum After { CONTINUE, CLOSE }

  After execute(Request r, Session session, ByteBuf out) {
    List<String> t = r.tokens;
    String cmd = r.command();
    switch (cmd) {
      case "get", "gets" -> get(t, cmd.equals("gets"), out);
      case "gat", "gats" -> gat(t, cmd.equals("gats"), out);
      case "set", "add", "replace", "append", "prepend", "cas" -> store(r, session, out);
      case "incr", "decr" -> arith(t, cmd.equals("incr"), out);
      case "touch" -> touch(t, out);
      case "delete" -> delete(t, out);
      case "flush_all" -> flushAll(t, out);
      case "stats" -> stats.execute(t, out);
      case "version" -> Reply.line(out, "VERSION " + LarderServer.VERSION);
      case "verbosity" -> verbosity(t, out);
      case "quit" -> {
        return After.CLOSE;
      }
      default -> Reply.line(out, ERROR);
    }
    return After.CONTINUE;
  }

  static boolean noreply(List<String> t, int index) {
    return t.size() > index && t.get(index).equals("noreply");
  }

  private void get(List<String> t, boolean withCas, ByteBuf out) {
    if (t.size() < 2) {
      Reply.line(out, ERROR);
      return;
    }
    for (int i = 1; i < t.size(); i++) {
      if (t.get(i).length() > RequestDecoder.MAX_KEY) {
        Reply.line(out, BAD_FORMAT);
        return;
      }
    }
    for (int i = 1; i < t.size(); i++) {
      String key = t.get(i);
      b.stats.cmdGet.increment();
      Entry<byte[], byte[]> e = b.cache.getEntry(Request.bytes(key));
      if (e == null) {
        b.stats.getMisses.increment();
        continue;
      }
      b.stats.getHits.increment();
      value(out, key, e, withCas);
    }
    Reply.line(out, "END");
  }

  static void value(ByteBuf out, String key, Entry<byte[], byte[]> e, boolean withCas) {
    Reply.text(out, "VALUE ");
    Reply.text(out, key);
    out.writeByte(' ');
    Reply.number(out, Integer.toUnsignedLong(e.flags()));
    out.writeByte(' ');
    Reply.number(out, e.value().length);
    if (withCas) {
      out.writeByte(' ');
      Reply.number(out, e.version());
    }
    Reply.crlf(out);
    Reply.data(out, e.value());
  }

  private void gat(List<String> t, boolean withCas, ByteBuf out) {
    if (t.size() < 2) {
      Reply.line(out, ERROR);
      return;
    }
    Integer exptime = Numbers.parseInt32(t.get(1));
    if (exptime == null) {
      Reply.line(out, "CLIENT_ERROR invalid exptime argument");
      return;
    }
    if (t.size() < 3) {
      Reply.line(out, ERROR);
      return;
    }
    for (int i = 2; i < t.size(); i++) {
      if (t.get(i).length() > RequestDecoder.MAX_KEY) {
        Reply.line(out, BAD_FORMAT);
        return;
      }
    }
    for (int i = 2; i < t.size(); i++) {
      String key = t.get(i);
      b.stats.cmdTouch.increment();
      Entry<byte[], byte[]> e = getAndTouch(Request.bytes(key), exptime);
      if (e == null) {
        b.stats.touchMisses.increment();
        continue;
      }
      b.stats.touchHits.increment();
      value(out, key, e, withCas);
    }
    Reply.line(out, "END");
  }

  /** Sets a new expiry and reads the entry in one transaction; null when there is none. */
  Entry<byte[], byte[]> getAndTouch(byte[] key, long exptime) {
    long now = b.now();
    long at = Expiry.expiresAtMillis(exptime, now);
    return b.cache.transact(tx -> {
      Entry<byte[], byte[]> e = tx.getEntry(key);
      if (e == null) {
        return null;
      }
      touchIn(tx, key, at, now);
      return e;
    });
  }

  static void touchIn(dev.larder.Transaction<byte[], byte[]> tx, byte[] key, long at, long now) {
    if (at == 0) {
      tx.persist(key);
    } else if (at < 0) {
      tx.delete(key);
    } else {
      tx.touch(key, Duration.ofMillis(at - now));
    }
  }

  private void store(Request r, Session session, ByteBuf out) {
    List<String> t = r.tokens;
    String cmd = t.get(0);
    boolean cas = cmd.equals("cas");
    int noreplyAt = cas ? 6 : 5;
    if (t.size() != noreplyAt && t.size() != noreplyAt + 1) {
      Reply.line(out, ERROR);
      return;
    }
    byte[] key = Request.bytes(t.get(1));
    int flags = (int) Numbers.parseUnsigned(t.get(2), 0xFFFF_FFFFL);
    int exptime = Numbers.parseInt32(t.get(3));
    boolean quiet = noreply(t, noreplyAt);
    b.stats.cmdSet.increment();
    if (r.tooLarge) {
      // memcached drops the old value of a set that was too large, so no stale value lingers.
      if (cmd.equals("set")) {
        b.leases.release(key);
        b.cache.delete(key);
      }
      Reply.line(out, r.error);
      return;
    }
    long now = b.now();
    Put put = Expiry.put(exptime, flags, now);
    String reply;
    switch (cmd) {
      case "set" -> reply = set(key, r.data, put, session) ? "STORED" : "NOT_STORED";
      case "add" -> reply = b.cache.add(key, r.data, put) ? "STORED" : "NOT_STORED";
      case "replace" -> reply = b.cache.replace(key, r.data, put) ? "STORED" : "NOT_STORED";
      case "append" -> reply = b.cache.append(key, r.data) ? "STORED" : "NOT_STORED";
      case "prepend" -> reply = b.cache.prepend(key, r.data) ? "STORED" : "NOT_STORED";
      default -> {
        long version = Numbers.parseUnsigned64(t.get(5));
        CasResult result = b.cache.cas(key, version, r.data, put);
        reply = switch (result) {
          case STORED -> {
            b.stats.casHits.increment();
            yield "STORED";
          }
          case EXISTS -> {
            b.stats.casBadval.increment();
            yield "EXISTS";
          }
          case NOT_FOUND -> {
            b.stats.casMisses.increment();
            yield "NOT_FOUND";
          }
        };
      }
    }
    if (!quiet) {
      Reply.line(out, reply);
    }
  }

  /**
   * A plain store, through the stampede lease when this connection won one for the key (with a
   * meta get): then a write that invalidated the key since the lease was taken, by another
   * connection or process, wins, and this one is refused.
   */
  boolean set(byte[] key, byte[] value, Put put, Session session) {
    StampedeLeases.Held h = b.leases.take(key, b.now(), session);
    if (h == StampedeLeases.FENCED) {
      return false;
    }
    if (h != null) {
      synchronized (h) {
        return h.lease.store(value, put);
      }
    }
    b.cache.put(key, value, put);
    return true;
  }

  private void arith(List<String> t, boolean incr, ByteBuf out) {
    if (t.size() != 3 && t.size() != 4) {
      Reply.line(out, ERROR);
      return;
    }
    if (t.get(1).length() > RequestDecoder.MAX_KEY) {
      Reply.line(out, BAD_FORMAT);
      return;
    }
    Long delta = Numbers.parseUnsigned64(t.get(2));
    if (delta == null) {
      Reply.line(out, "CLIENT_ERROR invalid numeric delta argument");
      return;
    }
    boolean quiet = noreply(t, 3);
    OptionalLong r;
    try {
      r = b.arith(Request.bytes(t.get(1)), delta, incr);
    } catch (Backend.NonNumeric e) {
      Reply.line(out, "CLIENT_ERROR cannot increment or decrement non-numeric value");
      return;
    }
    if (r.isEmpty()) {
      (incr ? b.stats.incrMisses : b.stats.decrMisses).increment();
    } else {
      (incr ? b.stats.incrHits : b.stats.decrHits).increment();
    }
    if (!quiet) {
      Reply.line(out, r.isEmpty() ? "NOT_FOUND" : Long.toUnsignedString(r.getAsLong()));
    }
  }

  private void touch(List<String> t, ByteBuf out) {
    if (t.size() != 3 && t.size() != 4) {
      Reply.line(out, ERROR);
      return;
    }
    if (t.get(1).length() > RequestDecoder.MAX_KEY) {
      Reply.line(out, BAD_FORMAT);
      return;
    }
    Integer exptime = Numbers.parseInt32(t.get(2));
    if (exptime == null) {
      Reply.line(out, "CLIENT_ERROR invalid exptime argument");
      return;
    }
    boolean quiet = noreply(t, 3);
    byte[] key = Request.bytes(t.get(1));
    long now = b.now();
    long at = Expiry.expiresAtMillis(exptime, now);
    b.stats.cmdTouch.increment();
    boolean found;
    if (at == 0) {
      found = b.cache.persist(key);
    } else if (at < 0) {
      found = b.cache.delete(key);
    } else {
      found = b.cache.touch(key, Duration.ofMillis(at - now));
    }
    (found ? b.stats.touchHits : b.stats.touchMisses).increment();
    if (!quiet) {
      Reply.line(out, found ? "TOUCHED" : "NOT_FOUND");
    }
  }

  private void delete(List<String> t, ByteBuf out) {
    if (t.size() < 2 || t.size() > 4) {
      Reply.line(out, ERROR);
      return;
    }
    boolean quiet = false;
    if (t.size() > 2) {
      boolean zero = t.get(2).equals("0");
      quiet = noreply(t, t.size() - 1);
      boolean valid = (t.size() == 3 && (zero || quiet)) || (t.size() == 4 && zero && quiet);
      if (!valid) {
        Reply.line(out, "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]");
        return;
      }
    }
    if (t.get(1).length() > RequestDecoder.MAX_KEY) {
      Reply.line(out, BAD_FORMAT);
      return;
    }
    byte[] key = Request.bytes(t.get(1));
    b.leases.release(key);
    boolean found = b.cache.delete(key);
    (found ? b.stats.deleteHits : b.stats.deleteMisses).increment();
    if (!quiet) {
      Reply.line(out, found ? "DELETED" : "NOT_FOUND");
    }
  }

  private void flushAll(List<String> t, ByteBuf out) {
    if (t.size() > 3) {
      Reply.line(out, ERROR);
      return;
    }
    boolean quiet = noreply(t, t.size() - 1);
    long delay = 0;
    if (t.size() == 3 || (t.size() == 2 && !quiet)) {
      Integer d = Numbers.parseInt32(t.get(1));
      if (d == null) {
        Reply.line(out, "CLIENT_ERROR invalid exptime argument");
        return;
      }
      delay = d;
    }
    b.stats.cmdFlush.increment();
    long now = b.now();
    long at = delay <= 0 ? 0 : Expiry.expiresAtMillis(delay, now);
    if (at <= now) {
      b.cache.clear();
    } else {
      // Decision: a delayed flush is a timer in this server, not a mark in the directory; items
      // stored until then are invalidated then too, as in memcached. A restart forgets the timer.
      b.timer.schedule(() -> {
        try {
          b.cache.clear();
        } catch (RuntimeException e) {
          LarderServer.LOG.log(System.Logger.Level.WARNING, "delayed flush_all failed", e);
        }
      }, at - now, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    if (!quiet) {
      Reply.line(out, "OK");
    }
  }

  private void verbosity(List<String> t, ByteBuf out) {
    if (t.size() != 2 && t.size() != 3) {
      Reply.line(out, ERROR);
      return;
    }
    // As memcached: noreply silences the error too ("verbosity noreply" is silent).
    boolean quiet = noreply(t, t.size() - 1);
    long level = Numbers.parseUnsigned(t.get(1), Integer.MAX_VALUE);
    if (level < 0) {
      if (!quiet) {
        Reply.line(out, BAD_FORMAT);
      }
      return;
    }
    b.verbosity = (int) level;
    if (!quiet) {
      Reply.line(out, "OK");
    }
  }
}
