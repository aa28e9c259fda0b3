package dev.larder;

/** The outcome of {@link Cache#cas}, with memcached's names. */
public enum CasResult {
  /** The version matched and the new value was stored. */
  STORED,
  /** The entry exists with another version: someone wrote it since it was read. Nothing changed. */
  EXISTS,
  /** There is no live entry for the key. Nothing changed. */
  NOT_FOUND
}
