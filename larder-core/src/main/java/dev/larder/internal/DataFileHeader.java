package dev.larder.internal;

import dev.larder.CorruptionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads LMDB's two meta pages from {@code data.mdb} before LMDB opens it, to refuse a file that is
 * not an LMDB data file or is shorter than its last used page.
 *
 * <p>This must happen before {@code mdb_env_open}: with {@code MDB_WRITEMAP}, LMDB extends a short
 * file to the map size with zeros, and reading a page past the end of a mapped file kills the JVM
 * with SIGBUS. The layout read here is LMDB's ({@code lmdb.h}, {@code mdb.c}), in native byte
 * order: a 16-byte page header, then {@code MDB_meta}: magic u32 at 16 (0xBEEFC0DE), version u32 at
 * 20, address at 24, map size at 32, two 48-byte {@code MDB_db} records at 40 (the first one's
 * leading u32 holds the page size), last page number at 136 and transaction id at 144. The meta
 * with the larger transaction id is the current one.
 */
final class DataFileHeader {
  static final int MAGIC = 0xBEEFC0DE;
  private static final int META_MAGIC = 16;
  private static final int META_PAGE_SIZE = 40;
  private static final int META_LAST_PAGE = 136;
  private static final int META_TXNID = 144;
  private static final int META_END = 152;

  private DataFileHeader() {}

  /**
   * Checks {@code file}; an empty file (a cache being created) passes.
   *
   * @throws CorruptionException if it is not an LMDB data file or is truncated
   */
  static void check(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        return;
      }
      ByteBuffer meta0 = read(ch, 0, size, file);
      int pageSize = meta0.getInt(META_PAGE_SIZE);
      if (meta0.getInt(META_MAGIC) != MAGIC) {
        throw new CorruptionException(file, META_MAGIC, file + " is not an LMDB data file (bad magic number), so "
            + file.getParent() + " is not a Larder cache");
      }
      if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
        throw new CorruptionException(file, META_PAGE_SIZE, file + " has an impossible page size " + pageSize);
      }
      ByteBuffer meta1 = read(ch, pageSize, size, file);
      ByteBuffer current = meta0;
      if (meta1.getInt(META_MAGIC) == MAGIC && meta1.getLong(META_TXNID) > meta0.getLong(META_TXNID)) {
        current = meta1;
      }
      long lastPage = current.getLong(META_LAST_PAGE);
      long needed = (lastPage + 1) * pageSize;
      if (lastPage < 1 || size < needed) {
        throw new CorruptionException(file, size, file + " is truncated: it has " + size
            + " bytes but its last page ends at byte " + needed);
      }
    } catch (IOException e) {
      throw new CorruptionException(file, file + " cannot be read: " + e, e);
    }
  }

  private static ByteBuffer read(FileChannel ch, long position, long size, Path file) throws IOException {
    if (position + META_END > size) {
      throw new CorruptionException(file, size, file + " is truncated: it has " + size
          + " bytes, less than LMDB's two meta pages");
    }
    ByteBuffer b = ByteBuffer.allocate(META_END).order(ByteOrder.nativeOrder());
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        throw new CorruptionException(file, size, file + " ends inside its meta pages");
      }
    }
    return b.flip();
  }
}
