package dev.larder.server;

import dev.larder.stats.CacheStats;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * {@code stats}, {@code stats settings}, {@code stats items}, {@code stats slabs} and {@code stats
 * reset}. The general statistics mix this server's command counters (memcached's names) with the
 * directory's counters (items, bytes, evictions), which cover every process using it.
 */
final class StatsCommand {
  private final Backend b;

  StatsCommand(Backend backend) {
    this.b = backend;
  }

  void execute(List<String> t, ByteBuf out) {
    if (t.size() == 1) {
      general(out);
    } else if (t.size() == 2) {
      switch (t.get(1)) {
        case "settings" -> settings(out);
        case "items" -> items(out);
        case "slabs" -> slabs(out);
        case "reset" -> {
          b.stats.reset();
          Reply.line(out, "RESET");
          return;
        }
        default -> {
          Reply.line(out, TextCommands.ERROR);
          return;
        }
      }
    } else {
      Reply.line(out, TextCommands.ERROR);
      return;
    }
    Reply.line(out, "END");
  }

  private static void stat(ByteBuf out, String name, Object value) {
    Reply.line(out, "STAT " + name + " " + value);
  }

  private void general(ByteBuf out) {
    ServerStats s = b.stats;
    CacheStats c = b.cache.stats();
    long now = System.currentTimeMillis();
    stat(out, "pid", ProcessHandle.current().pid());
    stat(out, "uptime", (now - s.startedMillis) / 1000);
    stat(out, "time", now / 1000);
    stat(out, "version", LarderServer.VERSION);
    stat(out, "pointer_size", 64);
    stat(out, "max_connections", b.options.maxConnections());
    stat(out, "curr_connections", s.currConnections.get());
    stat(out, "total_connections", s.totalConnections.sum());
    stat(out, "rejected_connections", s.rejectedConnections.sum());
    stat(out, "cmd_get", s.cmdGet.sum());
    stat(out, "cmd_set", s.cmdSet.sum());
    stat(out, "cmd_flush", s.cmdFlush.sum());
    stat(out, "cmd_touch", s.cmdTouch.sum());
    stat(out, "get_hits", s.getHits.sum());
    stat(out, "get_misses", s.getMisses.sum());
    stat(out, "get_expired", 0);
    stat(out, "delete_misses", s.deleteMisses.sum());
    stat(out, "delete_hits", s.deleteHits.sum());
    stat(out, "incr_misses", s.incrMisses.sum());
    stat(out, "incr_hits", s.incrHits.sum());
    stat(out, "decr_misses", s.decrMisses.sum());
    stat(out, "decr_hits", s.decrHits.sum());
    stat(out, "cas_misses", s.casMisses.sum());
    stat(out, "cas_hits", s.casHits.sum());
    stat(out, "cas_badval", s.casBadval.sum());
    stat(out, "touch_hits", s.touchHits.sum());
    stat(out, "touch_misses", s.touchMisses.sum());
    stat(out, "auth_cmds", s.authCmds.sum());
    stat(out, "auth_errors", s.authErrors.sum());
    stat(out, "threads", b.options.threads());
    stat(out, "limit_maxbytes", b.options.maxSize() != null ? b.options.maxSize() : 0);
    stat(out, "curr_items", c.count());
    stat(out, "bytes", c.volume());
    stat(out, "evictions", c.evictions());
    stat(out, "expired_unfetched", c.expirations());
    stat(out, "reclaimed", c.expirations());
    stat(out, "larder_directory_hits", c.hits());
    stat(out, "larder_directory_misses", c.misses());
    stat(out, "larder_leases_held", b.leases.size());
  }

  private void settings(ByteBuf out) {
    LarderServer.Options o = b.options;
    stat(out, "maxbytes", o.maxSize() != null ? o.maxSize() : 0);
    stat(out, "maxconns", o.maxConnections());
    stat(out, "tcpport", o.port());
    stat(out, "udpport", 0);
    stat(out, "inter", o.bind());
    stat(out, "verbosity", b.verbosity);
    stat(out, "evictions", "on");
    stat(out, "num_threads", o.threads());
    stat(out, "cas_enabled", "yes");
    stat(out, "item_size_max", o.maxItemSize());
    stat(out, "idle_timeout", o.idleTimeout().toSeconds());
    stat(out, "auth_enabled_sasl", "no");
    stat(out, "auth_enabled_ascii", o.authFile() != null ? "yes" : "no");
    stat(out, "larder_directory", o.directory().toAbsolutePath());
    stat(out, "larder_policy", o.policy() != null ? o.policy() : "directory");
  }

  private void items(ByteBuf out) {
    // One pseudo slab class: Larder has no slabs; the numbers are the directory's.
    CacheStats c = b.cache.stats();
    stat(out, "items:1:number", c.count());
    stat(out, "items:1:age", 0);
    stat(out, "items:1:evicted", c.evictions());
    stat(out, "items:1:expired_unfetched", c.expirations());
    stat(out, "items:1:outofmemory", 0);
    stat(out, "items:1:reclaimed", c.expirations());
  }

  private void slabs(ByteBuf out) {
    CacheStats c = b.cache.stats();
    stat(out, "1:chunk_size", 0);
    stat(out, "1:used_chunks", c.count());
    stat(out, "active_slabs", 1);
    stat(out, "total_malloced", c.volume());
  }
}
