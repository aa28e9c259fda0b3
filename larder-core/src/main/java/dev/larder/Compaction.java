package dev.larder;

/**
 * What {@link Larder#compact} did to a cache directory's data file.
 *
 * @param bytesBefore the bytes of pages the data file used before, live and free (its high-water
 *     mark; with {@code MDB_WRITEMAP} the file's apparent size is the larger map size)
 * @param bytesAfter the data file's size after: the live pages only
 */
public record Compaction(long bytesBefore, long bytesAfter) {

  /** The bytes given back to the file system. */
  public long bytesFreed() {
    return Math.max(0, bytesBefore - bytesAfter);
  }
}
