package dev.larder.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * A {@link BenchStore} over a Chronicle Map persisted to a file: each put writes into the shared
 * memory-mapped file at once, so a process crash loses nothing, and other processes that open the
 * same file see it. Chronicle Map must be sized up front; it has no eviction, expiry or
 * transactions, so {@link #putAll} is entry by entry.
 *
 * <p>On JDK 17 it needs the JVM flags in {@link #JVM_FLAGS}; the benchmarks give them only to the
 * JVMs that run it.
 */
final class ChronicleStore implements BenchStore {
  /**
   * The flags Chronicle's "Java 17 support" page asks for, plus the property that stops its usage
   * analytics from calling out to the network. Kept as separate constants so that
   * {@code @Fork(jvmArgsAppend = ...)} can name them.
   */
  static final String[] JVM_FLAGS = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
  };

  static {
    // Chronicle's usage analytics would try to reach the network; the flag above normally stops it,
    // and this covers a JVM started without it.
    if (System.getProperty("chronicle.analytics.disable") == null) {
      System.setProperty("chronicle.analytics.disable", "true");
    }
  }

  private final ChronicleMap<String, byte[]> map;

  ChronicleStore(Path dir, long entries, int valueSize) {
    File file = dir.resolve("chronicle.dat").toFile();
    try {
      map = ChronicleMap.of(String.class, byte[].class)
          .name("bench")
          .entries(Math.max(1_000, entries + entries / 5))
          .averageKeySize(12)
          .averageValueSize(Math.max(8, valueSize))
          .createPersistedTo(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a Chronicle Map in " + file, e);
    }
  }

  @Override
  public byte[] get(String key) {
    return map.get(key);
  }

  @Override
  public void put(String key, byte[] value) {
    map.put(key, value);
  }

  @Override
  public void close() {
    map.close();
  }
}
