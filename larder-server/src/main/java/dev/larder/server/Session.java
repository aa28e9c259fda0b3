package dev.larder.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Per-connection protocol state. Used by one worker at a time (connections run serially). */
final class Session {
  boolean authenticated;
  /** Keys whose stampede lease this connection won and has not stored yet. */
  final Set<StampedeLeases.Key> won = ConcurrentHashMap.newKeySet();
}
