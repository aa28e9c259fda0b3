package dev.larder.bench;

import dev.larder.Larder;
import java.nio.file.Path;
import java.util.EnumSet;
import org.lmdbjava.EnvFlags;

/**
 * The stores a benchmark can run against, chosen with a JMH {@code @Param} (after Caffeine's
 * {@code CacheType}). Each opens a new store in an empty directory.
 */
public enum StoreType {
  /** Larder with its defaults: {@code Durability.PROCESS}, which LMDB runs with {@code MDB_NOSYNC}. */
  LARDER {
    @Override
    public BenchStore open(Path dir) {
      return new LarderStore(Larder.builder(dir).maxSize(MAP_SIZE).open());
    }
  },

  /** Raw lmdbjava as a typical user writes it: {@code PROXY_BA}, {@code MDB_NOSYNC}, one named database. */
  LMDBJAVA {
    @Override
    public BenchStore open(Path dir) {
      return new LmdbStore(dir, MAP_SIZE, EnumSet.of(EnvFlags.MDB_NOSYNC));
    }
  },

  /**
   * Raw lmdbjava with the environment flags Larder uses on ext4, xfs, tmpfs and overlay: {@code
   * MDB_NOSYNC} and {@code MDB_WRITEMAP}. The gap between this and {@link #LARDER} is Larder's own
   * cost; the gap to {@link #LMDBJAVA} also includes the flag.
   */
  LMDBJAVA_WRITEMAP {
    @Override
    public BenchStore open(Path dir) {
      return new LmdbStore(dir, MAP_SIZE, EnumSet.of(EnvFlags.MDB_NOSYNC, EnvFlags.MDB_WRITEMAP));
    }
  };

  /** The size limit for Larder and the map size for lmdbjava: 8 GiB, far above what is stored. */
  static final long MAP_SIZE = 8L << 30;

  /** Opens a new store of this type in {@code dir}, which must exist and be empty. */
  public abstract BenchStore open(Path dir);
}
