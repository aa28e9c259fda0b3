package dev.larder.bench;

import java.nio.file.Path;
import java.util.Map;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * A {@link BenchStore} over a MapDB file ({@code fileDB}, memory-mapped where supported, with its
 * write-ahead log) holding one {@code HTreeMap}. Every put and every {@link #putAll} ends in {@code
 * commit()}, so that a process crash cannot lose it, as with a Larder put. MapDB locks its file: one
 * process only.
 */
final class MapDbStore implements BenchStore {
  private final DB db;
  private final HTreeMap<String, byte[]> map;

  MapDbStore(Path dir) {
    db = DBMaker.fileDB(dir.resolve("mapdb.db").toFile())
        .fileMmapEnableIfSupported()
        .transactionEnable()
        .make();
    map = db.hashMap("bench", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
  }

  @Override
  public byte[] get(String key) {
    return map.get(key);
  }

  @Override
  public void put(String key, byte[] value) {
    map.put(key, value);
    db.commit();
  }

  @Override
  public void putAll(Map<String, byte[]> entries) {
    map.putAll(entries);
    db.commit();
  }

  @Override
  public void close() {
    db.close();
  }
}
