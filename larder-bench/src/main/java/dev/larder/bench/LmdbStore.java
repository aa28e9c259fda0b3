package dev.larder.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * A {@link BenchStore} over raw lmdbjava, written as a typical user would write it: byte arrays
 * through {@code ByteArrayProxy.PROXY_BA}, keys as UTF-8, one named database, and one transaction
 * per operation. It keeps no metadata, checksums, counters or eviction order, so it is the floor
 * that Larder's overhead is measured against.
 */
final class LmdbStore implements BenchStore {
  private final Env<byte[]> env;
  private final Dbi<byte[]> dbi;

  LmdbStore(Path dir, long mapSize, Set<EnvFlags> flags) {
    env = Env.create(ByteArrayProxy.PROXY_BA)
        .setMapSize(mapSize)
        .setMaxDbs(4)
        .open(dir.toFile(), flags.toArray(new EnvFlags[0]));
    dbi = env.openDbi("bench", DbiFlags.MDB_CREATE);
  }

  @Override
  public byte[] get(String key) {
    try (Txn<byte[]> txn = env.txnRead()) {
      return dbi.get(txn, key.getBytes(UTF_8));
    }
  }

  @Override
  public void put(String key, byte[] value) {
    try (Txn<byte[]> txn = env.txnWrite()) {
      dbi.put(txn, key.getBytes(UTF_8), value);
      txn.commit();
    }
  }

  @Override
  public void putAll(Map<String, byte[]> entries) {
    try (Txn<byte[]> txn = env.txnWrite()) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        dbi.put(txn, e.getKey().getBytes(UTF_8), e.getValue());
      }
      txn.commit();
    }
  }

  @Override
  public void close() {
    env.close();
  }
}
