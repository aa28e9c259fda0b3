package dev.larder.internal;

import dev.larder.Compaction;
import dev.larder.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvInfo;
import org.lmdbjava.LmdbException;

/**
 * Gives a cache directory's free pages back to the file system: LMDB's compacting copy ({@code
 * mdb_env_copy2} with {@code MDB_CP_COMPACT}) written beside the data file and renamed over it.
 *
 * <h2>Safety</h2>
 *
 * The data file never shrinks while any process has it mapped (see {@link Store}): a process
 * touching a page past the new end would die of SIGBUS. So the compaction takes byte {@value
 * Store#OPEN_REGION} of {@code resize.lock} exclusively, which every open handle holds shared,
 * and refuses to run when it cannot; processes that open the directory meanwhile wait for it. A
 * crash at any point leaves either the old data file or the complete new one (the copy is
 * fsynced before the rename), plus a work directory under {@code tmp/} that the next compaction
 * removes. Value files are not touched.
 */
public final class Compactor {
  private static final System.Logger LOG = System.getLogger(Compactor.class.getName());
  private static final String WORK_PREFIX = "compact-";

  private Compactor() {}

  /** See {@link dev.larder.Larder#compact}. */
  public static Compaction compact(Path dir) {
    if (!Files.isRegularFile(dir.resolve("data.mdb"))) {
      throw new IllegalArgumentException(dir + " is not a Larder cache: it has no data.mdb");
    }
    NativeLibrary.prepare();
    Path real = Store.prepareDirectory(dir);
    return Store.whileClosedHere(real, () -> compactClosed(real));
  }

  private static Compaction compactClosed(Path dir) {
    Path data = dir.resolve("data.mdb");
    try (FileChannel lockFile = Store.openResizeLock(dir);
        FileLock open = lockFile.tryLock(Store.OPEN_REGION, 1, false)) {
      if (open == null) {
        throw new IllegalStateException(dir + " is open in another process; compaction needs every process to close it");
      }
      DataFileHeader.check(data);
      removeLeftovers(dir.resolve("tmp"));
      Path work = dir.resolve("tmp").resolve(WORK_PREFIX + ProcessHandle.current().pid());
      Files.createDirectories(work);
      long before;
      try (Env<byte[]> env = Env.create(ArrayProxy.INSTANCE)
          .setMapSize(Math.max(Store.DEFAULT_MAP_SIZE, Files.size(data)))
          .setMaxDbs(16)
          .setMaxReaders(Store.MAX_READERS)
          .open(dir.toFile())) {
        EnvInfo info = env.info();
        before = (info.lastPageNumber + 1) * env.stat().pageSize;
        env.copy(work.toFile(), CopyFlags.MDB_CP_COMPACT);
      }
      Path copy = work.resolve("data.mdb");
      DataFileHeader.check(copy);
      try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      long after = Files.size(copy);
      Files.move(copy, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Blobs.fsyncDirectory(dir);
      removeLeftovers(dir.resolve("tmp"));
      LOG.log(System.Logger.Level.INFO, "compacted {0}: {1} bytes of pages in use before, {2} after", data, before, after);
      return new Compaction(before, after);
    } catch (IOException e) {
      throw new StorageException("cannot compact " + data + ": " + e + "; the data file is unchanged", e, false);
    } catch (LmdbException e) {
      throw new StorageException("cannot compact " + data + ": " + e.getMessage() + "; the data file is unchanged", e, false);
    }
  }

  /** Deletes the work directories of compactions that did not finish. */
  private static void removeLeftovers(Path tmp) throws IOException {
    if (!Files.isDirectory(tmp)) {
      return;
    }
    List<Path> works;
    try (Stream<Path> list = Files.list(tmp)) {
      works = list.filter(p -> p.getFileName().toString().startsWith(WORK_PREFIX)).toList();
    }
    for (Path w : works) {
      try (Stream<Path> tree = Files.walk(w)) {
        for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
