package dev.larder.bench;

import dev.larder.Larder;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.lmdbjava.EnvFlags;

/**
 * The stores a benchmark can run against, chosen with a JMH {@code @Param} (after Caffeine's
 * {@code CacheType}). Each opens a new store in an empty directory, or reopens the store that an
 * earlier {@code open} of the same type left there.
 *
 * <p>Every put of every persistent peer is in the store's file (at least in the page cache) when it
 * returns, so a process crash cannot lose it: that is what a Larder put promises by default
 * ({@code Durability.PROCESS}), and peers that buffer writes are made to commit each one.
 */
public enum StoreType {
  /** Larder with its defaults: {@code Durability.PROCESS}, which LMDB runs with {@code MDB_NOSYNC}. */
  LARDER(true) {
    @Override
    public BenchStore open(Path dir, long entries, int valueSize) {
      return new LarderStore(Larder.builder(dir).maxSize(MAP_SIZE).open());
    }
  },

  /** Raw lmdbjava as a typical user writes it: {@code PROXY_BA}, {@code MDB_NOSYNC}, one named database. */
  LMDBJAVA(true) {
    @Override
    public BenchStore open(Path dir, long entries, int valueSize) {
      return new LmdbStore(dir, MAP_SIZE, EnumSet.of(EnvFlags.MDB_NOSYNC));
    }
  },

  /**
   * Raw lmdbjava with the environment flags Larder uses on ext4, xfs, tmpfs and overlay: {@code
   * MDB_NOSYNC} and {@code MDB_WRITEMAP}. The gap between this and {@link #LARDER} is Larder's own
   * cost; the gap to {@link #LMDBJAVA} also includes the flag.
   */
  LMDBJAVA_WRITEMAP(true) {
    @Override
    public BenchStore open(Path dir, long entries, int valueSize) {
      return new LmdbStore(dir, MAP_SIZE, EnumSet.of(EnvFlags.MDB_NOSYNC, EnvFlags.MDB_WRITEMAP));
    }
  },

  /**
   * Chronicle Map 3 persisted to a file, sized for {@code entries} of {@code valueSize} bytes. Needs
   * {@link ChronicleStore#JVM_FLAGS} on JDK 17, so it runs only in benchmarks that add them.
   */
  CHRONICLE_MAP(true) {
    @Override
    public BenchStore open(Path dir, long entries, int valueSize) {
      return new ChronicleStore(dir, entries, valueSize);
    }

    @Override
    public List<String> jvmFlags() {
      return List.of(ChronicleStore.JVM_FLAGS);
    }
  },

  /** H2's MVStore, one map, a commit after every write. Single process. */
  MVSTORE(false) {
    @Override
    public BenchStore open(Path dir, long entries, int valueSize) {
      return new MvStoreStore(dir);
    }
  },

  /** MapDB 3 file store with its write-ahead log, a commit after every write. Single process. */
  MAPDB(false) {
    @Override
    public BenchStore open(Path dir, long entries, int valueSize) {
      return new MapDbStore(dir);
    }
  },

  /** SQLite through sqlite-jdbc with python-diskcache's schema and pragmas. */
  SQLITE(true) {
    @Override
    public BenchStore open(Path dir, long entries, int valueSize) {
      return new SqliteStore(dir);
    }
  },

  /** Ehcache 3 with a single persistent disk tier. Single process. */
  EHCACHE(false) {
    @Override
    public BenchStore open(Path dir, long entries, int valueSize) {
      return new EhcacheStore(dir, entries, valueSize);
    }
  },

  /** Caffeine on the heap: the in-memory ceiling, not persistent. */
  CAFFEINE(false) {
    @Override
    public BenchStore open(Path dir, long entries, int valueSize) {
      return new CaffeineStore(entries);
    }
  };

  /** The size limit for Larder and the map size for lmdbjava: 8 GiB, far above what is stored. */
  static final long MAP_SIZE = 8L << 30;

  private final boolean multiProcess;

  StoreType(boolean multiProcess) {
    this.multiProcess = multiProcess;
  }

  /**
   * Opens a store of this type in {@code dir}, which must exist, sized (where the store needs it)
   * for {@code entries} values of about {@code valueSize} bytes.
   */
  public abstract BenchStore open(Path dir, long entries, int valueSize);

  /** Opens a new store of this type in {@code dir}, sized for 100,000 values of 10 KiB. */
  public BenchStore open(Path dir) {
    return open(dir, 100_000, 10_240);
  }

  /** Whether several processes may open the same store at once. */
  public boolean multiProcess() {
    return multiProcess;
  }

  /** The JVM flags a JVM needs to run this store; empty for all but Chronicle Map. */
  public List<String> jvmFlags() {
    return List.of();
  }
}
