package dev.larder.internal;

import dev.larder.CorruptionException;
import dev.larder.Durability;
import dev.larder.EvictionPolicy;
import dev.larder.LarderException;
import dev.larder.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.EnvInfo;
import org.lmdbjava.LmdbException;
import org.lmdbjava.LmdbNativeException;
import org.lmdbjava.Txn;

/**
 * One cache directory opened in this process: the LMDB environment, its databases, the value
 * files, and the transaction helpers that every operation goes through.
 *
 * <h2>One environment per directory per process</h2>
 *
 * LMDB must not be opened twice in one process: closing either handle would drop the other's
 * {@code fcntl} locks. {@link #acquire} therefore shares one {@code Store} among all the caches
 * that open the same directory in this JVM, counting references, and opens and closes under one
 * monitor so that an old handle never closes while a new one opens.
 *
 * <h2>Concurrency</h2>
 *
 * Read transactions run concurrently in every thread and process; write transactions are
 * serialized by LMDB's lock across processes. A {@link StampedLock} in read mode surrounds every
 * transaction in this process; its write mode is taken only to remap the data file (LMDB requires
 * that no transaction of the process is active then) and to close. No transaction is held while
 * user code or value-file I/O runs.
 *
 * <h2>Growing the map</h2>
 *
 * The memory map starts at {@code initialMapSize} (virtual address space, not disk). A write
 * that meets {@code MDB_MAP_FULL} is rolled back, the map is doubled (adopting first any larger
 * size another process set), and the write is retried. A process whose map is smaller than the
 * data another process has written gets {@code MDB_MAP_RESIZED} when it begins a transaction and
 * adopts the new size ({@code mdb_env_set_mapsize(env, 0)}) before retrying.
 */
public final class Store {
  private static final System.Logger LOG = System.getLogger(Store.class.getName());

  static final String FORMAT_MAGIC = "larder ";
  public static final int FORMAT_VERSION = 1;
  static final Set<String> DATABASES = Set.of("entries", "expiry", "tags", "meta", "blobs", "ghosts", "leases");
  static final Set<String> OWN_FILES = Set.of("data.mdb", "lock.mdb", "resize.lock", "blobs", "tmp");
  static final byte[] K_FORMAT = "format".getBytes(StandardCharsets.US_ASCII);
  static final byte[] K_SETTINGS = "settings".getBytes(StandardCharsets.US_ASCII);
  /**
   * The counters live in LMDB's main database, next to the records of the named databases: every
   * commit rewrites a page of the main database anyway, so keeping them there costs no extra page.
   */
  static final byte[] K_STATE = "larder.state".getBytes(StandardCharsets.US_ASCII);

  /**
   * The time for writes made by Larder itself (counters, sweeps, settings): they must not judge
   * expiry, since the cache's clock (which may be a manual one) is not theirs to know.
   */
  public static final long NO_CLOCK = Long.MIN_VALUE;

  static final long DEFAULT_MAP_SIZE = 1L << 30;
  static final long MAX_MAP_SIZE = 1L << 42;
  static final int MAX_READERS = 4096;
  /** The byte of {@code resize.lock} locked while the map is resized. */
  static final long RESIZE_REGION = 0;
  /** The byte of {@code resize.lock} locked shared by every process that has the directory open. */
  static final long OPEN_REGION = 1;

  private static final Map<Path, Store> OPEN = new HashMap<>();
  private static final ScheduledExecutorService MAINTENANCE =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "larder-maintenance");
        t.setDaemon(true);
        return t;
      });

  /** How a directory is opened; null settings keep what the directory has. */
  public record OpenOptions(Durability durability, long initialMapSize, Long maxSize, Long maxEntries,
      EvictionPolicy policy, Integer blobThreshold) {

    boolean setsSomething() {
      return maxSize != null || maxEntries != null || policy != null || blobThreshold != null;
    }

    Settings applyTo(Settings s) {
      return s.with(maxSize, maxEntries, policy, blobThreshold);
    }
  }

  private final Path dir;
  private final Path dataFile;
  private final Durability durability;
  private final Env<byte[]> env;
  final Dbi<byte[]> entries;
  final OrderIndex order;
  final Dbi<byte[]> expiry;
  final Dbi<byte[]> tags;
  /** Value-file id to the LMDB key of the entry that refers to it, to tell orphans without a scan. */
  final Dbi<byte[]> blobRefs;
  /** S3-FIFO's ghost queue as a set: LMDB key to its ghost order number. */
  final Dbi<byte[]> ghosts;
  /** Load leases (see {@link Leases}). */
  final Dbi<byte[]> leases;
  private final AccessBuffer uses = new AccessBuffer();
  private final java.util.concurrent.ConcurrentHashMap<Object, java.util.concurrent.CompletableFuture<Object>> loads =
      new java.util.concurrent.ConcurrentHashMap<>();
  final Dbi<byte[]> meta;
  final Dbi<byte[]> main;
  private final Blobs blobs;
  private final StampedLock lock = new StampedLock();
  /** Serializes map resizes across processes (see {@link #resize}). */
  private final FileChannel resizeLock;
  /** The thread holding this process's write transaction: LMDB allows one at a time. */
  private volatile Thread writer;
  private final ScheduledFuture<?> maintenance;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  private int refs = 1;
  private volatile boolean closed;
  /** Set when the last handle starts closing: this process no longer registers itself. */
  private volatile boolean closing;
  private volatile boolean dirty;
  private volatile Settings settings;
  private volatile long settingsVersion = -1;
  private byte[] settingsBytes = new byte[0];
  private volatile long nextExpirySweep;
  private boolean warnedMaintenance;
  private int deadAtOpen;
  private long lastReaderCheck = System.nanoTime();
  private int writesSinceMapCheck;
  private final long pageSize;
  private final boolean writeMap;
  /** How far this process has reserved the data file's blocks (see {@link Preallocator}). */
  private long reservedUpTo;

  private Store(Path dir, OpenOptions o) {
    this.dir = dir;
    this.dataFile = dir.resolve("data.mdb");
    this.durability = o.durability();
    this.blobs = new Blobs(dir, durability == Durability.SYNC);
    this.writeMap = Preallocator.writeMapSafe(dir);
    boolean existed = Files.exists(dataFile);
    if (existed) {
      DataFileHeader.check(dataFile);
    }
    this.resizeLock = openResizeLock(dir);
    try {
      // Held (shared) until close: compact() takes this region exclusively, so it never swaps
      // the data file under an open environment, and an open waits for a compaction to end.
      resizeLock.lock(OPEN_REGION, 1, true);
      this.env = openEnv(o.initialMapSize(), existed);
    } catch (IOException e) {
      closeQuietly(resizeLock);
      throw new StorageException("cannot lock " + dir.resolve("resize.lock") + ": " + e, e, false);
    } catch (RuntimeException e) {
      closeQuietly(resizeLock);
      throw e;
    }
    try {
      this.pageSize = env.stat().pageSize;
      checkNotTruncated();
      deadAtOpen = env.readerCheck();
      Dbi<byte[]>[] dbis = openDatabases(o);
      this.entries = dbis[0];
      this.expiry = dbis[1];
      this.tags = dbis[2];
      this.meta = dbis[3];
      this.main = dbis[4];
      this.blobRefs = dbis[5];
      this.ghosts = dbis[6];
      this.leases = dbis[7];
      this.order = new OrderIndex(main);
      refreshSettings();
    } catch (RuntimeException e) {
      env.close();
      closeQuietly(resizeLock);
      throw e;
    }
    this.maintenance = MAINTENANCE.scheduleWithFixedDelay(this::maintain, 1, 1, TimeUnit.SECONDS);
    MAINTENANCE.execute(() -> sweepLeftovers(registerProcess() | deadAtOpen > 0));
  }

  // ---- opening and closing ----------------------------------------------------------------------

  /** Opens {@code dir}, or shares this process's open handle to it. */
  public static Store acquire(Path dir, OpenOptions o) {
    NativeLibrary.prepare();
    Path real = prepareDirectory(dir);
    synchronized (OPEN) {
      Store s = OPEN.get(real);
      if (s != null) {
        if (s.durability != o.durability()) {
          throw new IllegalStateException(real + " is already open in this process with Durability."
              + s.durability + "; open it with the same durability or close the other handle first");
        }
        s.refs++;
        try {
          s.applySettings(o);
        } catch (RuntimeException e) {
          s.refs--;
          throw e;
        }
        return s;
      }
      s = new Store(real, o);
      OPEN.put(real, s);
      return s;
    }
  }

  /**
   * Runs {@code work} while this process has no handle to {@code real} open, and opens none (of
   * any directory) until it returns.
   *
   * @throws IllegalStateException if a handle to {@code real} is open in this process
   */
  static <R> R whileClosedHere(Path real, java.util.function.Supplier<R> work) {
    synchronized (OPEN) {
      if (OPEN.containsKey(real)) {
        throw new IllegalStateException(real + " is open in this process; close every handle to it first");
      }
      return work.get();
    }
  }

  static Path prepareDirectory(Path dir) {
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new IllegalArgumentException("not a directory: " + dir);
      }
      Files.createDirectories(dir);
      Path data = dir.resolve("data.mdb");
      if (Files.exists(data)) {
        if (!Files.isRegularFile(data)) {
          throw new CorruptionException(data, -1, data + " is not a regular file, so " + dir + " is not a Larder cache");
        }
      } else {
        List<String> foreign = new ArrayList<>();
        try (var list = Files.list(dir)) {
          list.map(p -> p.getFileName().toString()).filter(n -> !OWN_FILES.contains(n)).sorted().forEach(foreign::add);
        }
        if (!foreign.isEmpty()) {
          throw new IllegalArgumentException(dir + " is not a Larder cache: it has no data.mdb and holds other files "
              + foreign.subList(0, Math.min(5, foreign.size())) + "; use an empty or new directory");
        }
      }
      return dir.toRealPath();
    } catch (IOException e) {
      throw new StorageException("cannot open cache directory " + dir + ": " + e, e, false);
    }
  }

  /**
   * Opens {@code resize.lock}, whose byte {@value #RESIZE_REGION} serializes map resizes and whose
   * byte {@value #OPEN_REGION} every process holds shared while the directory is open.
   */
  static FileChannel openResizeLock(Path dir) {
    try {
      return FileChannel.open(dir.resolve("resize.lock"), java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StorageException("cannot open " + dir.resolve("resize.lock") + ": " + e, e, false);
    }
  }

  private Env<byte[]> openEnv(long initialMapSize, boolean existed) {
    // Opening maps the file too: never with less than its current size (see resize()).
    try (FileLock l = resizeLock.lock(RESIZE_REGION, 1, false)) {
      long size = Math.max(initialMapSize > 0 ? initialMapSize : DEFAULT_MAP_SIZE,
          existed ? Files.size(dataFile) : 0);
      return openEnvLocked(size, existed);
    } catch (IOException e) {
      throw new StorageException("cannot lock " + dir.resolve("resize.lock") + ": " + e, e, false);
    }
  }

  private Env<byte[]> openEnvLocked(long mapSize, boolean existed) {
    List<EnvFlags> flags = new ArrayList<>();
    if (durability == Durability.PROCESS) {
      flags.add(EnvFlags.MDB_NOSYNC);
    }
    if (writeMap) {
      // Decision: pages are written through the map, not with pwrite at commit. Measured on this
      // machine with random 100-byte overwrites, a raw lmdbjava put took 3-4 us with it and
      // 11-14 us without. The SIGBUS it risks on a full disk is prevented by Preallocator.
      flags.add(EnvFlags.MDB_WRITEMAP);
    }
    try {
      return Env.create(ArrayProxy.INSTANCE)
          .setMapSize(mapSize)
          .setMaxDbs(16)
          .setMaxReaders(MAX_READERS)
          .open(dir.toFile(), flags.toArray(new EnvFlags[0]));
    } catch (Env.FileInvalidException e) {
      throw new CorruptionException(dataFile, 0, dataFile + " is not an LMDB data file, so " + dir
          + " is not a Larder cache (or its file headers are damaged)");
    } catch (Env.VersionMismatchException e) {
      throw new CorruptionException(dataFile, 0, dataFile + " was written by an incompatible LMDB version");
    } catch (LmdbException e) {
      if (existed) {
        throw new CorruptionException(dataFile, dataFile + " cannot be opened: " + e.getMessage(), e);
      }
      throw new StorageException("cannot create a cache in " + dir + ": " + e.getMessage(), e, false);
    }
  }

  /**
   * Refuses a data file shorter than its last used page: touching a page past the end of a
   * memory-mapped file kills the JVM with SIGBUS, so this is checked before any page is read.
   */
  private void checkNotTruncated() {
    EnvInfo info = env.info();
    long pageSize = env.stat().pageSize;
    long needed = (info.lastPageNumber + 1) * pageSize;
    try {
      long size = Files.size(dataFile);
      if (size < needed) {
        throw new CorruptionException(dataFile, size, dataFile + " is truncated: it has " + size
            + " bytes but its last page ends at byte " + needed);
      }
    } catch (IOException e) {
      throw new StorageException("cannot read the size of " + dataFile, e, false);
    }
  }

  @SuppressWarnings("unchecked")
  private Dbi<byte[]>[] openDatabases(OpenOptions o) {
    boolean initialized;
    try (Txn<byte[]> txn = openTxn(false)) {
      initialized = inspect(txn);
      txn.commit();
    } catch (LmdbException e) {
      throw translate(e);
    }
    Dbi<byte[]>[] dbis = new Dbi[8];
    String[] names = {"entries", "expiry", "tags", "meta", "blobs", "ghosts", "leases"};
    Settings wanted = null;
    try (Txn<byte[]> txn = initialized ? openTxn(false) : openTxn(true)) {
      for (int i = 0; i < names.length; i++) {
        DbiFlags[] flags;
        if (names[i].equals("tags")) {
          flags = initialized ? new DbiFlags[] {DbiFlags.MDB_DUPSORT}
              : new DbiFlags[] {DbiFlags.MDB_DUPSORT, DbiFlags.MDB_CREATE};
        } else {
          flags = initialized ? new DbiFlags[0] : new DbiFlags[] {DbiFlags.MDB_CREATE};
        }
        dbis[i < 4 ? i : i + 1] = env.openDbi(txn, names[i].getBytes(StandardCharsets.US_ASCII), null, false, flags);
      }
      dbis[4] = env.openDbi(txn, null, null, false);
      if (!initialized) {
        Dbi<byte[]> m = dbis[3];
        byte[] format = m.get(txn, K_FORMAT);
        if (format == null) {
          m.put(txn, K_FORMAT, (FORMAT_MAGIC + FORMAT_VERSION).getBytes(StandardCharsets.US_ASCII));
          wanted = o.applyTo(Settings.DEFAULTS);
          m.put(txn, K_SETTINGS, wanted.encode());
          dbis[4].put(txn, K_STATE, State.encode(new long[State.LENGTH]));
        } else {
          checkFormat(format);
        }
      }
      txn.commit();
    } catch (LmdbException e) {
      throw translate(e);
    }
    if (wanted == null) {
      // Existing cache: apply the settings the builder set explicitly.
      return applyOnOpen(dbis, o);
    }
    return dbis;
  }

  private Dbi<byte[]>[] applyOnOpen(Dbi<byte[]>[] dbis, OpenOptions o) {
    if (!o.setsSomething()) {
      return dbis;
    }
    try (Txn<byte[]> txn = openTxn(true)) {
      Settings current = Settings.decode(dbis[3].get(txn, K_SETTINGS));
      Settings wanted = o.applyTo(current);
      if (!wanted.equals(current)) {
        dbis[3].put(txn, K_SETTINGS, wanted.encode());
        long[] state = State.decode(dbis[4].get(txn, K_STATE));
        state[State.SETTINGS_VERSION]++;
        if (wanted.policy() != current.policy()) {
          state[State.FOREIGN_QUEUES] = 1;
        }
        dbis[4].put(txn, K_STATE, State.encode(state));
        txn.commit();
      }
    } catch (LmdbException e) {
      throw translate(e);
    }
    return dbis;
  }

  /**
   * Begins a transaction while opening, when no other thread can use this store yet: a process
   * that grew the data file meanwhile makes LMDB answer {@code MDB_MAP_RESIZED}, and the size is
   * adopted before trying again.
   */
  private Txn<byte[]> openTxn(boolean write) {
    while (true) {
      try {
        return write ? env.txnWrite() : env.txnRead();
      } catch (Dbi.MapResizedException e) {
        resize(0);
      }
    }
  }

  /** Looks at the main database: true if it is a Larder cache, false if empty; throws otherwise. */
  private boolean inspect(Txn<byte[]> txn) {
    Dbi<byte[]> main = env.openDbi(txn, null, null, false);
    List<String> names = new ArrayList<>();
    try (Cursor<byte[]> c = main.openCursor(txn)) {
      // Skip the store-order index (keys from 0x00): the names and the state sort after it.
      if (c.get(new byte[] {1}, org.lmdbjava.GetOp.MDB_SET_RANGE)) {
        do {
          names.add(new String(c.key(), StandardCharsets.UTF_8));
        } while (c.next());
      }
    }
    if (names.isEmpty()) {
      return false;
    }
    names.remove(new String(K_STATE, StandardCharsets.US_ASCII));
    for (String n : names) {
      if (!DATABASES.contains(n)) {
        throw new CorruptionException(dataFile, -1, dataFile + " is an LMDB database but not a Larder cache (it has a database named '"
            + n + "')");
      }
    }
    if (!names.containsAll(DATABASES)) {
      return false; // a crash while creating the cache: finish creating it
    }
    Dbi<byte[]> m = env.openDbi(txn, "meta".getBytes(StandardCharsets.US_ASCII), null, false);
    byte[] format = m.get(txn, K_FORMAT);
    if (format == null) {
      throw new CorruptionException(dataFile, -1, dataFile + " has no Larder format record");
    }
    checkFormat(format);
    return true;
  }

  private void checkFormat(byte[] format) {
    String text = new String(format, StandardCharsets.US_ASCII);
    if (!text.startsWith(FORMAT_MAGIC)) {
      throw new CorruptionException(dataFile, -1, dataFile + " has an unknown format record '" + text + "'");
    }
    int version;
    try {
      version = Integer.parseInt(text.substring(FORMAT_MAGIC.length()));
    } catch (NumberFormatException e) {
      throw new CorruptionException(dataFile, -1, dataFile + " has an unknown format record '" + text + "'");
    }
    if (version != FORMAT_VERSION) {
      throw new CorruptionException(dataFile, -1, dataFile + " has format " + version
          + (version > FORMAT_VERSION ? ", newer than" : ", older than") + " this Larder's format " + FORMAT_VERSION
          + "; open it with a matching Larder version");
    }
  }

  private void applySettings(OpenOptions o) {
    if (!o.setsSomething()) {
      return;
    }
    write(w -> {
      Settings wanted = o.applyTo(w.settings());
      if (!wanted.equals(w.settings())) {
        meta.put(w.txn(), K_SETTINGS, wanted.encode());
        w.count(State.SETTINGS_VERSION, 1);
        if (wanted.policy() != w.settings().policy()) {
          w.count(State.FOREIGN_QUEUES, 1);
        }
      }
      return null;
    }, NO_CLOCK);
    refreshSettings();
  }

  /** Drops one reference; the last one closes the environment after operations in flight. */
  public void release() {
    synchronized (OPEN) {
      if (--refs > 0) {
        return;
      }
      maintenance.cancel(false);
      closing = true;
      try {
        flushStats();
        write(w -> {
          Processes.unregister(w);
          return null;
        }, NO_CLOCK);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "cannot flush counters of " + dir + " on close", e);
      }
      long stamp = lock.writeLock();
      try {
        closed = true;
        if (durability == Durability.PROCESS) {
          env.sync(true);
        }
      } catch (LmdbException e) {
        LOG.log(Level.WARNING, "cannot flush " + dataFile + " to disk on close", e);
      } finally {
        env.close();
        closeQuietly(resizeLock);
        OPEN.remove(dir);
        lock.unlockWrite(stamp);
      }
    }
  }

  // ---- transactions -------------------------------------------------------------------------------

  /** Work done inside a write transaction. */
  @FunctionalInterface
  public interface WriteWork<R> {
    R apply(WriteContext w) throws IOException;
  }

  /** Runs {@code work} in a read transaction; it must not block or call back into the cache. */
  public <R> R read(Function<Txn<byte[]>, R> work) {
    checkNotInWrite();
    while (true) {
      long stamp = lock.readLock();
      try {
        checkOpen();
        try (Txn<byte[]> txn = env.txnRead()) {
          return work.apply(txn);
        }
      } catch (Dbi.MapResizedException e) {
        // fall through: adopt the size another process set, then retry
      } catch (LmdbException e) {
        throw translate(e);
      } finally {
        lock.unlockRead(stamp);
      }
      adoptMapSize();
    }
  }

  /**
   * Runs {@code work} in a write transaction and commits, retrying after growing the map. Value
   * files dropped by the work are deleted after the commit; files it installed are deleted if it
   * does not commit.
   */
  public <R> R write(WriteWork<R> work, long now) {
    return write(work, now, 0);
  }

  /**
   * Like {@link #write(WriteWork, long)}, for work that adds about {@code estimatedBytes} to the
   * data file (records, keys and index entries), so that enough disk is reserved for it first.
   */
  public <R> R write(WriteWork<R> work, long now, long estimatedBytes) {
    checkNotInWrite();
    while (true) {
      long stamp = lock.readLock();
      long mapSize = 0;
      boolean adopt = false;
      WriteContext w = null;
      boolean committed = false;
      R result = null;
      try {
        checkOpen();
        Txn<byte[]> txn;
        try {
          txn = env.txnWrite();
        } catch (Dbi.MapResizedException e) {
          adopt = true;
          txn = null;
        }
        if (txn != null) {
          writer = Thread.currentThread();
          try {
            w = new WriteContext(this, txn, now);
            reserveAhead(estimatedBytes);
            if (!uses.isEmpty()) {
              w.applyUses(uses.drain());
            }
            result = work.apply(w);
            w.finish();
            txn.commit();
            committed = true;
            dirty = true;
          } catch (Env.MapFullException e) {
            mapSize = env.info().mapSize;
          } finally {
            writer = null;
            txn.close();
          }
        }
      } catch (LmdbException e) {
        throw translate(e);
      } catch (IOException e) {
        throw new StorageException("write in " + dir + " failed: " + e, e, false);
      } finally {
        lock.unlockRead(stamp);
        if (w != null && !committed) {
          w.discardInstalled();
        }
      }
      if (committed) {
        w.afterCommit();
        maybeGrowAhead();
        return result;
      }
      if (adopt) {
        adoptMapSize();
      } else {
        grow(mapSize);
      }
    }
  }

  static final long RESERVE_MARGIN = 32L << 20;
  static final long RESERVE_CHUNK = 64L << 20;

  /**
   * With {@code MDB_WRITEMAP}, reserves disk blocks past LMDB's high-water mark before this write
   * transaction can touch them. Called inside the write transaction before it changes anything, so
   * no other writer uses those pages meanwhile.
   */
  private void reserveAhead(long estimatedBytes) throws IOException {
    if (!writeMap) {
      return;
    }
    EnvInfo info = env.info();
    long highWater = (info.lastPageNumber + 1) * pageSize;
    // Pages past the map cannot be touched (LMDB reports MDB_MAP_FULL first), and the file is never
    // shorter than the map, so reserving up to the map's end is enough.
    long needed = Math.min(info.mapSize, highWater + RESERVE_MARGIN + 2 * estimatedBytes);
    if (needed <= reservedUpTo) {
      return;
    }
    long target = Math.min(info.mapSize, needed + RESERVE_CHUNK);
    try {
      Preallocator.reserve(dataFile, Math.max(reservedUpTo, highWater), target);
    } catch (IOException e) {
      throw new StorageException("cannot reserve disk space for " + dataFile + " (" + e.getMessage()
          + "); the write did not take effect", e, false);
    }
    reservedUpTo = target;
  }

  private void checkNotInWrite() {
    if (writer == Thread.currentThread()) {
      throw new IllegalStateException(
          "this thread is inside transact() on " + dir + "; use the Transaction it was given");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("cache is closed: " + dir);
    }
  }

  private void adoptMapSize() {
    long stamp = lock.writeLock();
    try {
      checkOpen();
      resize(0);
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /** Doubles the map after {@code MDB_MAP_FULL} at {@code failedAt} bytes. */
  private void grow(long failedAt) {
    long stamp = lock.writeLock();
    try {
      checkOpen();
      if (failedAt >= MAX_MAP_SIZE) {
        throw new StorageException("the data file of " + dir + " reached the largest map size, "
            + MAX_MAP_SIZE + " bytes", null, false);
      }
      long size = resize(Math.min(MAX_MAP_SIZE, failedAt * 2));
      LOG.log(Level.DEBUG, "grew the map of {0} to {1} bytes", dir, size);
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /**
   * Sets this process's map size to at least {@code wanted} and at least the data file's current
   * size, holding {@code resize.lock} across processes; returns the size set. Call with the
   * in-process lock in write mode.
   *
   * <p>With {@code MDB_WRITEMAP}, LMDB truncates the data file to the map size whenever it maps it.
   * A process adopting an older, smaller size ({@code mdb_env_set_mapsize(env, 0)} reads it from
   * the last commit) would shrink the file under another process that had grown it and is writing
   * past the new end, which then dies of SIGBUS (seen in this project's growth test). So no
   * process ever maps less than the file, and resizes are serialized by a file lock.
   */
  private long resize(long wanted) {
    try (FileLock l = resizeLock.lock(RESIZE_REGION, 1, false)) {
      long size = Math.max(wanted, Files.size(dataFile));
      env.setMapSize(size);
      return size;
    } catch (IOException e) {
      throw new StorageException("cannot resize the map of " + dataFile + ": " + e, e, false);
    } catch (LmdbException e) {
      throw translate(e);
    }
  }

  /** Every 64 writes, grows the map early when it is 80% used, so transactions rarely re-run. */
  private void maybeGrowAhead() {
    if (++writesSinceMapCheck < 64) {
      return;
    }
    writesSinceMapCheck = 0;
    long stamp = lock.readLock();
    long mapSize;
    boolean full;
    try {
      if (closed) {
        return;
      }
      EnvInfo info = env.info();
      mapSize = info.mapSize;
      full = (info.lastPageNumber + 1) * pageSize > mapSize / 10 * 8;
    } finally {
      lock.unlockRead(stamp);
    }
    if (full) {
      grow(mapSize);
    }
  }

  RuntimeException translate(LmdbException e) {
    if (e instanceof LmdbNativeException.PageNotFoundException
        || e instanceof LmdbNativeException.PageCorruptedException
        || e instanceof LmdbNativeException.PanicException) {
      return new CorruptionException(dataFile, "LMDB reports damage in " + dataFile + ": " + e.getMessage(), e);
    }
    if (e instanceof Env.ReadersFullException) {
      return new StorageException("all " + MAX_READERS + " reader slots of " + dir
          + " are in use (threads x processes); the operation did not run", e, false);
    }
    if (e instanceof Env.AlreadyClosedException) {
      return new IllegalStateException("cache is closed: " + dir, e);
    }
    return new StorageException("LMDB error in " + dir + ": " + e.getMessage(), e, false);
  }

  // ---- byte-level reads ----------------------------------------------------------------------------

  /** A live record found by {@link #lookup}, with its value file opened when asked for. */
  public record Lookup(Record record, FileChannel channel) {}

  /**
   * Finds the live record of a key in one read transaction. With {@code openFile}, a value file is
   * opened inside the same transaction, so the file read afterwards is the one the record named
   * even if a writer replaces it meanwhile.
   *
   * @throws CorruptionException if the record is damaged or its value file is missing
   */
  public Lookup lookup(Space space, byte[] inner, long now, boolean openFile) {
    byte[][] missing = new byte[1][];
    for (int attempt = 0; ; attempt++) {
      Object found = read(txn -> {
        byte[] full = space.resolve(this, txn, inner);
        return find(txn, Keys.stored(full), full, now, openFile);
      });
      if (!(found instanceof byte[])) {
        return (Lookup) found;
      }
      // The file vanished after our snapshot: a writer replaced the value and deleted its file.
      // Read again; the same file missing in a newer snapshot is damage.
      byte[] id = (byte[]) found;
      if (missing[0] != null && java.util.Arrays.equals(missing[0], id) || attempt > 8) {
        Path file = blobs.path(id);
        throw new CorruptionException(file, -1, "the value file " + file + " of key " + Bytes.describe(inner)
            + " is missing; check(true) removes the entry");
      }
      missing[0] = id;
    }
  }

  /** Finds a key's live record: a Lookup, null, or the id of a value file that could not be opened. */
  private Object find(Txn<byte[]> txn, byte[] stored, byte[] full, long now, boolean openFile) {
    byte[] b = entries.get(txn, stored);
    if (b == null) {
      return null;
    }
    Record r = WriteContext.parse(b, stored);
    if (!WriteContext.matches(r, full) || r.isExpired(now)) {
      return null;
    }
    if (!r.isBlob() || !openFile) {
      return new Lookup(r, null);
    }
    try {
      return new Lookup(r, blobs.open(r.blobId()));
    } catch (java.nio.file.NoSuchFileException e) {
      return r.blobId();
    } catch (IOException e) {
      throw new StorageException("cannot open value file " + blobs.path(r.blobId()) + ": " + e, e, false);
    }
  }

  /** Finds several keys' live records in one snapshot, opening their value files; null for absent. */
  public List<Lookup> lookupAll(Space space, List<byte[]> fulls, long now) {
    boolean[] vanished = new boolean[fulls.size()];
    List<Lookup> out = read(txn -> {
      List<Lookup> found = new ArrayList<>(fulls.size());
      try {
        for (int i = 0; i < fulls.size(); i++) {
          byte[] full = space.resolve(this, txn, fulls.get(i));
          Object f = find(txn, Keys.stored(full), full, now, true);
          vanished[i] = f instanceof byte[];
          found.add(vanished[i] ? null : (Lookup) f);
        }
      } catch (RuntimeException e) {
        closeAll(found);
        throw e;
      }
      return found;
    });
    // A value file deleted by a writer after the snapshot: read that key again on its own.
    for (int i = 0; i < vanished.length; i++) {
      if (vanished[i]) {
        out.set(i, lookup(space, fulls.get(i), now, true));
      }
    }
    return out;
  }

  static void closeAll(List<Lookup> found) {
    for (Lookup l : found) {
      if (l != null && l.channel() != null) {
        try {
          l.channel().close();
        } catch (IOException ignored) {
          // closing a read-only channel
        }
      }
    }
  }

  /** One batch of a key scan. */
  public record ScanBatch(List<byte[]> keys, byte[] resumeFrom) {}

  /**
   * Reads up to {@code limit} live full keys that start with {@code prefix}, from the LMDB key
   * {@code from} on, in one read transaction. {@code resumeFrom} is null when the scan is done.
   */
  public ScanBatch scan(byte[] from, byte[] prefix, int limit, long now) {
    // A long key is stored under its first KEPT_PREFIX bytes: compare at most that much here and
    // the rest against the full key.
    byte[] rangePrefix = prefix.length > Keys.KEPT_PREFIX ? java.util.Arrays.copyOf(prefix, Keys.KEPT_PREFIX) : prefix;
    return read(txn -> {
      List<byte[]> keys = new ArrayList<>();
      try (Cursor<byte[]> c = entries.openCursor(txn)) {
        boolean positioned = c.get(from, org.lmdbjava.GetOp.MDB_SET_RANGE);
        while (positioned) {
          byte[] k = c.key();
          if (!Bytes.startsWith(k, rangePrefix)) {
            break;
          }
          if (keys.size() >= limit) {
            return new ScanBatch(keys, k);
          }
          if (k.length <= Keys.KEPT_PREFIX) {
            addIfLive(keys, k, c.val(), prefix, now);
            positioned = c.next();
            continue;
          }
          // Keys longer than KEPT_PREFIX bytes share their stored prefix with every long key that
          // starts the same way, and those are stored in hash order: read the whole group and
          // sort it by the full keys.
          byte[] group = java.util.Arrays.copyOf(k, Keys.KEPT_PREFIX);
          List<byte[]> members = new ArrayList<>();
          do {
            addIfLive(members, c.key(), c.val(), prefix, now);
            positioned = c.next();
          } while (positioned && Bytes.startsWith(c.key(), group));
          members.sort(java.util.Arrays::compareUnsigned);
          keys.addAll(members);
        }
      }
      return new ScanBatch(keys, null);
    });
  }

  private static void addIfLive(List<byte[]> keys, byte[] stored, byte[] raw, byte[] prefix, long now) {
    Record r = WriteContext.parse(raw, stored);
    byte[] full = r.hasFullKey() ? r.fullKey() : stored;
    if (!r.isExpired(now) && Bytes.startsWith(full, prefix)) {
      keys.add(full);
    }
  }

  /** The volume of the live entries of a namespace's current generation, by walking them. */
  public long volumeOf(Space space, long now) {
    return read(txn -> {
      byte[] prefix = space.resolve(this, txn, new byte[0]);
      long volume = 0;
      try (Cursor<byte[]> c = entries.openCursor(txn)) {
        if (c.get(prefix, org.lmdbjava.GetOp.MDB_SET_RANGE)) {
          do {
            if (!Bytes.startsWith(c.key(), prefix)) {
              break;
            }
            Record r = WriteContext.parse(c.val(), c.key());
            if (!r.isExpired(now)) {
              volume += r.weight(c.key().length);
            }
          } while (c.next());
        }
      }
      return volume;
    });
  }

  // ---- settings, counters, maintenance ------------------------------------------------------------

  /** The settings as last read; writers re-read them in every transaction. */
  public Settings settings() {
    return settings;
  }

  void refreshSettings() {
    byte[] b = read(txn -> meta.get(txn, K_SETTINGS));
    noteSettings(b);
  }

  /**
   * The settings for a write transaction whose state says {@code version}: the cached ones if
   * they are that version, otherwise read again from the transaction.
   */
  Settings settingsFor(Txn<byte[]> txn, long version) {
    Settings cached = settings;
    if (cached != null && version == settingsVersion) {
      return cached;
    }
    Settings fresh = noteSettings(meta.get(txn, K_SETTINGS));
    settingsVersion = version;
    return fresh;
  }

  /** Called with the settings bytes read in a transaction. */
  Settings noteSettings(byte[] b) {
    if (b == null) {
      throw new CorruptionException(dataFile, -1, dataFile + " has no settings record");
    }
    synchronized (this) {
      if (settings == null || !java.util.Arrays.equals(b, settingsBytes)) {
        settings = Settings.decode(b);
        settingsBytes = b;
      }
      return settings;
    }
  }

  /** Persisted counters (a fresh read). */
  public long[] state() {
    return read(txn -> State.decode(main.get(txn, K_STATE)));
  }

  public void hit() {
    hits.increment();
  }

  /** Notes a read of the entry under {@code full}, if the eviction policy cares about reads. */
  public void noteUse(byte[] full) {
    Settings current = settings;
    if (current != null && Policy.tracksReads(current.policy())) {
      uses.note(Keys.stored(full));
    }
  }

  public void miss() {
    misses.increment();
  }

  public long unflushedHits() {
    return hits.sum();
  }

  public long unflushedMisses() {
    return misses.sum();
  }

  void flushStats() {
    long h = hits.sumThenReset();
    long m = misses.sumThenReset();
    if (h == 0 && m == 0 && uses.isEmpty()) {
      return;
    }
    try {
      write(w -> {
        w.count(State.HITS, h);
        w.count(State.MISSES, m);
        return null;
      }, NO_CLOCK);
    } catch (RuntimeException e) {
      hits.add(h);
      misses.add(m);
      throw e;
    }
  }

  private void maintain() {
    if (closed) {
      return;
    }
    try {
      flushStats();
      reclaimPending();
      if (System.nanoTime() - lastReaderCheck > TimeUnit.MINUTES.toNanos(1)) {
        lastReaderCheck = System.nanoTime();
        int dead;
        long stamp = lock.readLock();
        try {
          dead = closed ? 0 : env.readerCheck();
        } finally {
          lock.unlockRead(stamp);
        }
        if (registerProcess() | dead > 0) {
          sweepLeftovers(true);
        }
      }
      if (durability == Durability.PROCESS && dirty) {
        dirty = false;
        long stamp = lock.readLock();
        try {
          if (!closed) {
            env.sync(true);
          }
        } finally {
          lock.unlockRead(stamp);
        }
      }
    } catch (RuntimeException e) {
      if (!warnedMaintenance) {
        warnedMaintenance = true;
        LOG.log(Level.WARNING, "background maintenance of " + dir + " failed; it will keep trying", e);
      }
    }
  }

  /**
   * Deletes what a crashed process may have left: temporary files of dead processes, and value
   * files that no entry refers to (a crash between the rename of a file into {@code blobs/} and
   * the commit, or between a commit and the deletion of the file it dropped). {@code check(true)}
   * does the same on demand. Whether a file is referenced is decided under the write lock (see
   * {@link Blobs}); the files are deleted after.
   *
   * <p>Walking {@code blobs/} costs a directory listing per value file, so it happens only when
   * there is a sign of a crash: LMDB's reader table held slots of dead processes (checked when
   * the directory is opened and every minute after), or {@code tmp/} held files of dead
   * processes. Temporary files are always looked at; the directory is small.
   */
  void sweepLeftovers(boolean crashSeen) {
    if (closed) {
      return;
    }
    try {
      List<Path> temps = blobs.staleTempFiles();
      for (Path f : temps) {
        Blobs.deleteQuietly(f);
      }
      if (!crashSeen && temps.isEmpty()) {
        return;
      }
      List<Path> files = blobs.listFiles();
      for (int i = 0; i < files.size() && !closed; i += 512) {
        List<Path> batch = files.subList(i, Math.min(files.size(), i + 512));
        List<Path> orphans = write(w -> {
          List<Path> found = new ArrayList<>();
          for (Path f : batch) {
            byte[] id = Blobs.idOf(f);
            if (id != null && f.equals(blobs.path(id)) && !isReferenced(w.txn(), id)) {
              found.add(f);
            }
          }
          return found;
        }, NO_CLOCK);
        for (Path f : orphans) {
          LOG.log(Level.INFO, "deleting value file {0}, left without an entry by a crash", f);
          Blobs.deleteQuietly(f);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.log(Level.WARNING, "could not sweep files left by crashes in " + dir + "; check(true) removes them", e);
      }
    }
  }

  /** Whether an entry refers to the value file {@code id}. */
  boolean isReferenced(Txn<byte[]> txn, byte[] id) {
    byte[] stored = blobRefs.get(txn, id);
    if (stored == null) {
      return false;
    }
    byte[] raw = entries.get(txn, stored);
    if (raw == null) {
      return false;
    }
    try {
      Record r = Record.parse(raw);
      return r.isBlob() && java.util.Arrays.equals(r.blobId(), id);
    } catch (CorruptionException e) {
      return true; // damaged: leave the file for check() to judge with the entry
    }
  }

  /** The loads in flight in this process, by key: for single-flight loading across threads. */
  public java.util.concurrent.ConcurrentHashMap<Object, java.util.concurrent.CompletableFuture<Object>> loadsInFlight() {
    return loads;
  }

  /** Runs {@link #reclaimPending} in the background now. */
  public void reclaimSoon() {
    MAINTENANCE.execute(this::reclaimPending);
  }

  /**
   * Removes the entries of invalidated namespace generations, in short transactions, for every
   * namespace marked by {@code invalidate()} in any process; the mark goes with the last batch.
   */
  /**
   * Registers this process in the directory (see {@link Processes}); returns whether a process
   * died with the directory open.
   */
  private boolean registerProcess() {
    if (closed || closing) {
      return false;
    }
    try {
      // Checked inside the transaction: a registration that ran after the close removed this
      // process's entry would leave it behind, and the next open would take it for a crash and
      // list every value file (a short-lived CLI command hit that).
      return write(w -> !closing && Processes.register(w), NO_CLOCK);
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.log(Level.WARNING, "cannot register this process in " + dir, e);
      }
      return false;
    }
  }

  void reclaimPending() {
    if (closed) {
      return;
    }
    try {
      List<String> names = read(txn -> {
        List<String> out = new ArrayList<>();
        byte[] prefix = Space.RECLAIM.getBytes(StandardCharsets.UTF_8);
        try (Cursor<byte[]> c = meta.openCursor(txn)) {
          if (c.get(prefix, org.lmdbjava.GetOp.MDB_SET_RANGE)) {
            do {
              if (!Bytes.startsWith(c.key(), prefix)) {
                break;
              }
              out.add(new String(c.key(), prefix.length, c.key().length - prefix.length, StandardCharsets.UTF_8));
            } while (c.next());
          }
        }
        return out;
      });
      for (String name : names) {
        Space space = Space.namespace(name);
        boolean more = true;
        while (more && !closed) {
          more = write(w -> {
            if (space.reclaimOld(w, WriteContext.FULL_SWEEP) == WriteContext.FULL_SWEEP) {
              return true;
            }
            meta.delete(w.txn(), Space.reclaimKey(name));
            return false;
          }, NO_CLOCK);
        }
      }
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.log(Level.WARNING, "reclaiming invalidated namespaces of " + dir + " failed; it will be retried", e);
      }
    }
  }

  long nextExpirySweep() {
    return nextExpirySweep;
  }

  void nextExpirySweep(long at) {
    nextExpirySweep = at;
  }

  // ---- accessors -----------------------------------------------------------------------------------

  public Path directory() {
    return dir;
  }

  public Path dataFile() {
    return dataFile;
  }

  /** Value files this process has dropped in a commit and not yet unlinked (ids as buffers). */
  private final Set<java.nio.ByteBuffer> unlinking = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Announces ({@code pending} true) or retires value files about to be unlinked. */
  void unlinking(List<byte[]> ids, boolean pending) {
    for (byte[] id : ids) {
      if (pending) {
        unlinking.add(java.nio.ByteBuffer.wrap(id));
      } else {
        unlinking.remove(java.nio.ByteBuffer.wrap(id));
      }
    }
  }

  /** Whether this process dropped value file {@code id} in a commit and is about to unlink it. */
  boolean isUnlinking(byte[] id) {
    return unlinking.contains(java.nio.ByteBuffer.wrap(id));
  }

  public Blobs blobs() {
    return blobs;
  }

  public Durability durability() {
    return durability;
  }

  public long mapSize() {
    long stamp = lock.readLock();
    try {
      checkOpen();
      return env.info().mapSize;
    } finally {
      lock.unlockRead(stamp);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing resize.lock", e);
    }
  }

  /** A failure that is not the caller's fault and says so. */
  static LarderException storage(String message, Throwable cause) {
    return new StorageException(message, cause, false);
  }
}
