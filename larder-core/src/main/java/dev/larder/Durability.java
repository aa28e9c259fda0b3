package dev.larder;

/**
 * What a committed write survives. Chosen per process when the cache is opened; it is not stored in
 * the directory. (LevelDB documents the same trade-off as "Synchronous Writes".)
 */
public enum Durability {
  /**
   * Survives the death of the process at any moment, including {@code kill -9}: a write that
   * returned is in the operating system's page cache and every other process sees it. A power loss
   * or kernel crash may lose the writes of the last moments (the data file is flushed to disk every
   * second and on close), and, as LMDB documents for {@code MDB_NOSYNC}, may damage the data file;
   * {@link Cache#check(boolean)} finds such damage. This is the default.
   */
  PROCESS,

  /**
   * Survives power loss: every commit is flushed to disk ({@code fdatasync}) before the write
   * returns, and a large value's file and its directory entry are flushed before the commit that
   * refers to it. Costs roughly one disk flush per write transaction; batch with {@code putAll} or
   * {@code transact} when that matters.
   */
  SYNC
}
