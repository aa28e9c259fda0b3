package dev.larder.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** This server process's counters for {@code stats}. Thread-safe. */
final class ServerStats {
  final long startedMillis = System.currentTimeMillis();
  final AtomicInteger currConnections = new AtomicInteger();
  final LongAdder totalConnections = new LongAdder();
  final LongAdder rejectedConnections = new LongAdder();
  final LongAdder cmdGet = new LongAdder();
  final LongAdder cmdSet = new LongAdder();
  final LongAdder cmdTouch = new LongAdder();
  final LongAdder cmdFlush = new LongAdder();
  final LongAdder getHits = new LongAdder();
  final LongAdder getMisses = new LongAdder();
  final LongAdder deleteHits = new LongAdder();
  final LongAdder deleteMisses = new LongAdder();
  final LongAdder incrHits = new LongAdder();
  final LongAdder incrMisses = new LongAdder();
  final LongAdder decrHits = new LongAdder();
  final LongAdder decrMisses = new LongAdder();
  final LongAdder casHits = new LongAdder();
  final LongAdder casMisses = new LongAdder();
  final LongAdder casBadval = new LongAdder();
  final LongAdder touchHits = new LongAdder();
  final LongAdder touchMisses = new LongAdder();
  final LongAdder authCmds = new LongAdder();
  final LongAdder authErrors = new LongAdder();

  void reset() {
    for (LongAdder a : new LongAdder[] {totalConnections, rejectedConnections, cmdGet, cmdSet, cmdTouch, cmdFlush,
        getHits, getMisses, deleteHits, deleteMisses, incrHits, incrMisses, decrHits, decrMisses, casHits,
        casMisses, casBadval, touchHits, touchMisses, authCmds, authErrors}) {
      a.reset();
    }
  }
}
