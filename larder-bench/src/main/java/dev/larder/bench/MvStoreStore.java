package dev.larder.bench;

import java.nio.file.Path;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * A {@link BenchStore} over an H2 {@code MVStore} file with one {@code MVMap}. Every put and every
 * {@link #putAll} is followed by {@code commit()}, so that, like a Larder put, it is in the file
 * (the page cache) when the call returns and a process crash cannot lose it; without the commit
 * MVStore writes every second in the background. MVStore locks its file: one process only.
 */
final class MvStoreStore implements BenchStore {
  private final MVStore store;
  private final MVMap<String, byte[]> map;

  MvStoreStore(Path dir) {
    // Commits are explicit, so the background auto-commit is off; with it on, preloading 1 MiB
    // values failed with "Reading from file ... failed" in 2.5.252.
    store = new MVStore.Builder().fileName(dir.resolve("mvstore.db").toString())
        .autoCommitDisabled().open();
    map = store.openMap("bench");
  }

  @Override
  public byte[] get(String key) {
    return map.get(key);
  }

  @Override
  public void put(String key, byte[] value) {
    map.put(key, value);
    store.commit();
  }

  @Override
  public void putAll(Map<String, byte[]> entries) {
    map.putAll(entries);
    store.commit();
  }

  @Override
  public void close() {
    store.close();
  }
}
