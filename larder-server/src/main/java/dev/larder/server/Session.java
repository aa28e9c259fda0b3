package dev.larder.server;

/** Per-connection protocol state. Used by one worker at a time (connections run serially). */
final class Session {
  boolean authenticated;
}
