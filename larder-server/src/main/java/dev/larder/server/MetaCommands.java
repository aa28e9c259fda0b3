package dev.larder.server;

import dev.larder.CasResult;
import dev.larder.Entry;
import dev.larder.Put;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The meta protocol: {@code mg ms md ma mn me}, with memcached 1.6's flags and reply grammar
 * (checked against memcached 1.6.18), including the anti-stampede flags.
 *
 * <h2>Stampede flags on the core's leases</h2>
 *
 * <ul>
 *   <li>{@code mg N(ttl)} on a miss: the client that takes the key's load lease ({@link
 *       StampedeLeases}) gets {@code W}; every other client gets {@code Z}, as memcached answers
 *       for its empty placeholder item: {@code VA 0 ... Z} or {@code HD ... Z}. No placeholder is
 *       stored, so Java readers of the directory never see an empty value.
 *   <li>{@code mg R(ttl)} on a hit whose remaining TTL is below the token: one client gets {@code
 *       W} with the value, the others {@code Z} with the value.
 *   <li>{@code md I} / {@code ms I}: marks the entry stale (see {@link Backend}); {@code mg} then
 *       returns the old value with {@code X}, and {@code W} to the one client that takes the lease,
 *       {@code Z} to the others.
 *   <li>The winner stores with {@code ms} (or {@code set}): the value goes through the lease, so
 *       a write that invalidated the key since then (from any process) wins, and the winner gets
 *       {@code NS}. A winner that never stores lets the lease lapse after the token's TTL
 *       ({@value StampedeLeases#DEFAULT_TIMEOUT} seconds when the token is 0).
 * </ul>
 *
 * Thread-safe: stateless apart from the {@link Backend}.
 */
final class MetaCommands {
  private final Backend b;
  private final TextCommands text;

  MetaCommands(Backend backend, TextCommands text) {
    this.b = backend;
    this.text = text;
  }

  /** A bad request: the reply line. */
  static final class Bad extends RuntimeException {
    Bad(String reply) {
      super(reply, null, false, false);
    }
  }

  void execute(Request r, Session session, ByteBuf out) {
    List<String> t = r.tokens;
    String cmd = r.command();
    if (cmd.equals("mn")) {
      Reply.line(out, "MN");
      return;
    }
    if (t.size() < 2) {
      Reply.line(out, cmd.equals("me") ? TextCommands.BAD_FORMAT : TextCommands.ERROR);
      return;
    }
    try {
      switch (cmd) {
        case "mg" -> mg(t, session, out);
        case "ms" -> ms(r, session, out);
        case "md" -> md(t, out);
        case "ma" -> ma(t, out);
        case "me" -> me(t, out);
        default -> Reply.line(out, TextCommands.ERROR);
      }
    } catch (Bad e) {
      Reply.line(out, e.getMessage());
    }
  }

  private static byte[] key(String token, MetaFlags f) {
    if (token.length() > RequestDecoder.MAX_KEY) {
      throw new Bad(TextCommands.BAD_FORMAT);
    }
    if (!f.base64) {
      return Request.bytes(token);
    }
    try {
      byte[] k = Base64.getDecoder().decode(token);
      if (k.length == 0 || k.length > RequestDecoder.MAX_KEY) {
        throw new Bad(TextCommands.BAD_FORMAT);
      }
      return k;
    } catch (IllegalArgumentException e) {
      throw new Bad("CLIENT_ERROR error decoding key");
    }
  }

  /** Writes the return flags that echo the request: k, O, b (and c, f, s, t when given values). */
  private static void echo(ByteBuf out, MetaFlags f, String keyToken, Entry<byte[], byte[]> e, long ttl, long version) {
    for (int i = f.first; i < f.tokens.size(); i++) {
      String tok = f.tokens.get(i);
      switch (tok.charAt(0)) {
        case 'k' -> {
          Reply.text(out, " k");
          Reply.text(out, keyToken);
          if (f.base64) {
            Reply.text(out, " b");
          }
        }
        case 'O' -> {
          out.writeByte(' ');
          Reply.text(out, tok);
        }
        case 'c' -> {
          if (version >= 0) {
            Reply.text(out, " c");
            Reply.number(out, version);
          }
        }
        case 'f' -> {
          if (e != null) {
            Reply.text(out, " f");
            Reply.number(out, Integer.toUnsignedLong(e.flags()));
          } else if (version >= 0) {
            Reply.text(out, " f0");
          }
        }
        case 's' -> {
          if (e != null) {
            Reply.text(out, " s");
            Reply.number(out, e.value().length);
          } else if (version >= 0) {
            Reply.text(out, " s0");
          }
        }
        case 't' -> {
          if (ttl != Long.MIN_VALUE) {
            Reply.text(out, " t");
            Reply.number(out, ttl);
          }
        }
        case 'h' -> {
          if (version >= 0) {
            Reply.text(out, " h0");
          }
        }
        case 'l' -> {
          if (version >= 0) {
            Reply.text(out, " l0");
          }
        }
        default -> {
          // flags that change behaviour only
        }
      }
    }
  }

  private void mg(List<String> t, Session session, ByteBuf out) {
    MetaFlags f = new MetaFlags(t, 2, "bcfhklOqstuvENRT");
    byte[] key = key(t.get(1), f);
    long vivify = f.number('N', -1);
    long recache = f.number('R', -1);
    long touch = f.number('T', Long.MIN_VALUE);
    long now = b.now();
    b.stats.cmdGet.increment();
    Entry<byte[], byte[]> e;
    if (touch != Long.MIN_VALUE) {
      b.stats.cmdTouch.increment();
      e = text.getAndTouch(key, touch);
      if (e != null) {
        e = b.cache.getEntry(key); // the new expiry, for t
      }
    } else {
      e = b.cache.getEntry(key);
    }
    boolean win = false;
    boolean tokenSent = false;
    boolean stale = false;
    if (e == null) {
      b.stats.getMisses.increment();
      StampedeLeases.Held h = b.leases.live(key, now);
      if (h == null && vivify >= 0) {
        win = b.leases.tryWin(key, leaseTimeout(vivify), now, session);
        tokenSent = !win;
        h = b.leases.live(key, now);
      } else if (h != null) {
        tokenSent = true;
      }
      if (!win && !tokenSent) {
        if (!f.quiet) {
          Reply.line(out, "EN");
        }
        return;
      }
      // memcached answers a vivified miss as a hit on an empty placeholder item.
      long ttl = h != null ? Math.max(0, (h.deadlineMillis - now + 999) / 1000) : (vivify > 0 ? vivify : -1);
      Reply.text(out, f.has('v') ? "VA 0" : "HD");
      echo(out, f, t.get(1), null, ttl, 0);
      flagsWzx(out, tokenSent, false, win);
      if (f.has('v')) {
        Reply.crlf(out);
      }
      return;
    }
    b.stats.getHits.increment();
    long ttl = Expiry.remainingSeconds(e.expiresAt(), now);
    stale = Backend.isStale(e);
    boolean wantsRecache = recache >= 0 && e.expiresAt() != null && ttl < recache;
    if (stale || wantsRecache) {
      win = b.leases.tryWin(key, stale ? StampedeLeases.DEFAULT_TIMEOUT : leaseTimeout(recache), now, session);
      tokenSent = !win;
    } else if (b.leases.live(key, now) != null) {
      tokenSent = true;
    }
    if (f.has('v')) {
      Reply.text(out, "VA ");
      Reply.number(out, e.value().length);
    } else {
      Reply.text(out, "HD");
    }
    echo(out, f, t.get(1), e, ttl, e.version());
    flagsWzx(out, tokenSent, stale, win);
    if (f.has('v')) {
      Reply.data(out, e.value());
    }
  }

  private static Duration leaseTimeout(long seconds) {
    return seconds > 0 ? Duration.ofSeconds(seconds) : StampedeLeases.DEFAULT_TIMEOUT;
  }

  /** memcached's order: Z (a win was already handed out), X (stale), W (this client won). */
  private static void flagsWzx(ByteBuf out, boolean tokenSent, boolean stale, boolean win) {
    if (tokenSent) {
      Reply.text(out, " Z");
    }
    if (stale) {
      Reply.text(out, " X");
    }
    if (win) {
      Reply.text(out, " W");
    }
    Reply.crlf(out);
  }

  private void ms(Request r, Session session, ByteBuf out) {
    List<String> t = r.tokens;
    if (r.tooLarge) {
      Reply.line(out, r.error);
      return;
    }
    if (r.data == null) {
      throw new Bad(TextCommands.BAD_FORMAT); // no length token
    }
    MetaFlags f = new MetaFlags(t, 3, "bcCEFIkOqsSTMN");
    byte[] key = key(t.get(1), f);
    long flags = f.unsigned64('F', 0);
    if (flags > 0xFFFF_FFFFL || flags < 0) {
      throw new Bad("CLIENT_ERROR bad token in command line format");
    }
    long exptime = f.number('T', 0);
    long cas = f.unsigned64('C', 0);
    String mode = f.arg('M');
    long now = b.now();
    Put put = Expiry.put(exptime, (int) flags, now);
    b.stats.cmdSet.increment();
    String code;
    char m = mode == null || mode.isEmpty() ? 'S' : Character.toUpperCase(mode.charAt(0));
    if (f.has('I')) {
      // Invalidate mode: store the value already marked stale, so the next reader refreshes it.
      put = put.withTags(Backend.withStale(put.tags()));
    }
    switch (m) {
      case 'S' -> {
        if (f.has('C')) {
          code = casCode(b.cache.cas(key, cas, r.data, put));
        } else {
          code = text.set(key, r.data, put, session) ? "HD" : "NS";
        }
      }
      case 'E' -> code = b.cache.add(key, r.data, put) ? "HD" : "NS";
      case 'R' -> code = f.has('C') ? casCode(b.cache.cas(key, cas, r.data, put))
          : b.cache.replace(key, r.data, put) ? "HD" : "NS";
      case 'A', 'P' -> {
        boolean ok = m == 'A' ? b.cache.append(key, r.data) : b.cache.prepend(key, r.data);
        if (!ok && f.has('N')) {
          ok = b.cache.add(key, r.data, Expiry.put(f.number('N', 0), (int) flags, now));
        }
        code = ok ? "HD" : "NS";
      }
      default -> throw new Bad("CLIENT_ERROR invalid mode for ms STORE");
    }
    if (f.quiet && code.equals("HD")) {
      return;
    }
    long version = -1;
    if (code.equals("HD") && f.has('c')) {
      Entry<byte[], byte[]> e = b.cache.getEntry(key);
      version = e != null ? e.version() : 0;
    }
    Reply.text(out, code);
    echoStore(out, f, t.get(1), version);
    Reply.crlf(out);
  }

  private static void echoStore(ByteBuf out, MetaFlags f, String keyToken, long version) {
    for (int i = f.first; i < f.tokens.size(); i++) {
      String tok = f.tokens.get(i);
      switch (tok.charAt(0)) {
        case 'c' -> {
          if (version >= 0) {
            Reply.text(out, " c");
            Reply.number(out, version);
          }
        }
        case 'k' -> {
          Reply.text(out, " k");
          Reply.text(out, keyToken);
          if (f.base64) {
            Reply.text(out, " b");
          }
        }
        case 'O' -> {
          out.writeByte(' ');
          Reply.text(out, tok);
        }
        default -> {
        }
      }
    }
  }

  private String casCode(CasResult r) {
    return switch (r) {
      case STORED -> {
        b.stats.casHits.increment();
        yield "HD";
      }
      case EXISTS -> {
        b.stats.casBadval.increment();
        yield "EX";
      }
      case NOT_FOUND -> {
        b.stats.casMisses.increment();
        yield "NF";
      }
    };
  }

  private void md(List<String> t, ByteBuf out) {
    MetaFlags f = new MetaFlags(t, 2, "bCEIkOqTx");
    byte[] key = key(t.get(1), f);
    long cas = f.unsigned64('C', -1);
    boolean hasCas = f.has('C');
    boolean invalidate = f.has('I');
    long exptime = f.number('T', Long.MIN_VALUE);
    long now = b.now();
    String code;
    if (!hasCas && !invalidate) {
      b.leases.release(key);
      code = b.cache.delete(key) ? "HD" : "NF";
    } else {
      code = b.cache.transact(tx -> {
        Entry<byte[], byte[]> e = tx.getEntry(key);
        if (e == null) {
          return "NF";
        }
        if (hasCas && e.version() != cas) {
          return "EX";
        }
        if (invalidate) {
          long at = exptime == Long.MIN_VALUE ? (e.expiresAt() == null ? 0 : e.expiresAt().toEpochMilli())
              : Expiry.expiresAtMillis(exptime, now);
          Put p = Backend.keepWithExpiry(e, at, now);
          tx.put(key, e.value(), p.withTags(Backend.withStale(e.tags())));
        } else {
          tx.delete(key);
        }
        return "HD";
      });
      // The write fenced any lease this server held; forget it so the next reader can win.
      b.leases.release(key);
    }
    (code.equals("HD") ? b.stats.deleteHits : b.stats.deleteMisses).increment();
    if (f.quiet && code.equals("HD")) {
      return;
    }
    Reply.text(out, code);
    echoStore(out, f, t.get(1), -1);
    Reply.crlf(out);
  }

  private void ma(List<String> t, ByteBuf out) {
    MetaFlags f = new MetaFlags(t, 2, "bCENJDTMOqtcvk");
    byte[] key = key(t.get(1), f);
    long vivify = f.number('N', -1);
    long initial = f.unsigned64('J', 0);
    long delta = f.unsigned64('D', 1);
    long exptime = f.number('T', Long.MIN_VALUE);
    long cas = f.unsigned64('C', -1);
    boolean hasCas = f.has('C');
    String mode = f.arg('M');
    boolean incr;
    if (mode == null || mode.isEmpty()) {
      incr = true;
    } else {
      switch (mode.charAt(0)) {
        case 'I', 'i', '+' -> incr = true;
        case 'D', 'd', '-' -> incr = false;
        default -> throw new Bad("CLIENT_ERROR invalid mode for ma M token");
      }
    }
    long now = b.now();
    Object[] result = new Object[1];
    String code;
    try {
      code = b.cache.transact(tx -> {
        Entry<byte[], byte[]> e = tx.getEntry(key);
        long next;
        if (e == null) {
          if (vivify < 0) {
            return "NF";
          }
          next = initial;
          tx.put(key, Long.toUnsignedString(next).getBytes(StandardCharsets.ISO_8859_1), Expiry.put(vivify, 0, now));
        } else {
          if (hasCas && e.version() != cas) {
            return "EX";
          }
          next = Backend.apply(e.value(), delta, incr);
          Put p = exptime == Long.MIN_VALUE ? Backend.keep(e)
              : Backend.keepWithExpiry(e, Expiry.expiresAtMillis(exptime, now), now);
          tx.put(key, Long.toUnsignedString(next).getBytes(StandardCharsets.ISO_8859_1), p);
        }
        result[0] = tx.getEntry(key);
        return "HD";
      });
    } catch (Backend.NonNumeric e) {
      throw new Bad("CLIENT_ERROR cannot increment or decrement non-numeric value");
    }
    if (!code.equals("HD")) {
      Reply.text(out, code);
      echoStore(out, f, t.get(1), -1);
      Reply.crlf(out);
      return;
    }
    @SuppressWarnings("unchecked")
    Entry<byte[], byte[]> e = (Entry<byte[], byte[]>) result[0];
    if (f.quiet && !f.has('v')) {
      return;
    }
    boolean v = f.has('v');
    if (v) {
      Reply.text(out, "VA ");
      Reply.number(out, e.value().length);
    } else {
      Reply.text(out, "HD");
    }
    echo(out, f, t.get(1), null, f.has('t') ? Expiry.remainingSeconds(e.expiresAt(), now) : Long.MIN_VALUE,
        e.version());
    Reply.crlf(out);
    if (v) {
      Reply.data(out, e.value());
    }
  }

  private void me(List<String> t, ByteBuf out) {
    MetaFlags f = new MetaFlags(t, 2, "b");
    byte[] key = key(t.get(1), f);
    Entry<byte[], byte[]> e = b.cache.getEntry(key);
    if (e == null) {
      Reply.line(out, "EN");
      return;
    }
    long now = b.now();
    long exp = Expiry.remainingSeconds(e.expiresAt(), now);
    Reply.line(out, "ME " + t.get(1) + " exp=" + exp + " la=0 cas=" + e.version() + " fetch=no cls=1 size="
        + e.value().length);
  }

}
