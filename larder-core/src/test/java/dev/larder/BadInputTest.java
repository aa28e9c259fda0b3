package dev.larder;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.testkit.Eventually;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;

/**
 * Bad input gets a clear error and loses nothing: wrong directories, damaged and foreign data
 * files, flipped bytes in values and value files, missing files, bad arguments.
 */
class BadInputTest {
  @TempDir Path dir;

  private Cache<String, byte[]> open() {
    return Larder.builder(dir).blobThreshold(1024).open();
  }

  @Test
  void directoryThatIsAFile_isRefusedByName() throws IOException {
    Path file = Files.writeString(dir.resolve("plain.txt"), "hello");
    assertThatThrownBy(() -> Larder.builder(file).open())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a directory").hasMessageContaining("plain.txt");
  }

  @Test
  void directoryWithOtherFiles_isNotACache() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "mine");
    assertThatThrownBy(this::open)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Larder cache").hasMessageContaining("notes.txt");
    assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
    assertThat(Files.exists(dir.resolve("data.mdb"))).isFalse();
  }

  @Test
  void garbageDataFile_isNotAnLmdbFile() throws IOException {
    byte[] garbage = new byte[64 * 1024];
    new Random(1).nextBytes(garbage);
    Files.write(dir.resolve("data.mdb"), garbage);
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("data.mdb").hasMessageContaining("not an LMDB data file");
    assertThat(Files.readAllBytes(dir.resolve("data.mdb"))).isEqualTo(garbage);
  }

  @Test
  void truncatedDataFile_isRefusedBeforeAnyPageIsRead() throws IOException {
    try (Cache<String, byte[]> c = open()) {
      for (int i = 0; i < 3000; i++) {
        c.put("key" + i, new byte[200]);
      }
    }
    Path data = dir.resolve("data.mdb");
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      f.setLength(64 * 1024);
    }
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("data.mdb").hasMessageContaining("truncated");
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      f.setLength(3000);
    }
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class).hasMessageContaining("truncated");
  }

  @Test
  void foreignLmdbEnvironment_isNotACache() {
    try (Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMaxDbs(2).setMapSize(1 << 20).open(dir.toFile())) {
      var db = env.openDbi("users", DbiFlags.MDB_CREATE);
      db.put("alice".getBytes(UTF_8), "x".getBytes(UTF_8));
    }
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("not a Larder cache").hasMessageContaining("users");
  }

  @Test
  void newerFormat_isRefusedWithTheVersion() {
    try (Cache<String, byte[]> c = open()) {
      c.put("k", new byte[1]);
    }
    try (Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMaxDbs(16).setMapSize(1L << 30).open(dir.toFile())) {
      var meta = env.openDbi("meta");
      meta.put("format".getBytes(UTF_8), "larder 99".getBytes(UTF_8));
    }
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("format 99").hasMessageContaining("newer");
  }

  @Test
  void flippedByteInInlineValue_isDetectedNeverReturned_andCheckFixesIt() throws IOException {
    byte[] marked = ("MARK-" + "Z".repeat(120)).getBytes(UTF_8);
    try (Cache<String, byte[]> c = open()) {
      c.put("victim", marked);
      c.put("bystander", "fine".getBytes(UTF_8));
    }
    int flipped = flipEvery(dir.resolve("data.mdb"), marked, 20);
    assertThat(flipped).isPositive();
    try (Cache<String, byte[]> c = open()) {
      assertThatThrownBy(() -> c.get("victim")).isInstanceOf(CorruptionException.class)
          .hasMessageContaining("victim").hasMessageContaining("checksum");
      assertThat(c.get("bystander")).isEqualTo("fine".getBytes(UTF_8));
      List<Finding> found = c.check(false);
      assertThat(found).extracting(Finding::kind).containsExactly(Finding.Kind.CHECKSUM_MISMATCH);
      assertThat(c.check(true)).hasSize(1).allMatch(Finding::fixed);
      assertThat(c.get("victim")).isNull();
      assertThat(c.get("bystander")).isEqualTo("fine".getBytes(UTF_8));
      assertThat(c.check(false)).isEmpty();
    }
  }

  @Test
  void flippedByteInValueFile_isDetectedNeverReturned() throws IOException {
    byte[] big = new byte[50_000];
    new Random(2).nextBytes(big);
    try (Cache<String, byte[]> c = open()) {
      c.put("big", big);
    }
    Path file = onlyBlobFile();
    byte[] bytes = Files.readAllBytes(file);
    bytes[12_345] ^= 0x10;
    Files.write(file, bytes);
    try (Cache<String, byte[]> c = open()) {
      assertThatThrownBy(() -> c.get("big")).isInstanceOf(CorruptionException.class).hasMessageContaining("checksum");
      try (StoredValue v = c.open("big"); InputStream in = v.inputStream()) {
        assertThatThrownBy(in::readAllBytes).isInstanceOf(CorruptionException.class);
      }
      assertThat(c.check(false)).extracting(Finding::kind).containsExactly(Finding.Kind.CHECKSUM_MISMATCH);
      c.check(true);
      assertThat(c.get("big")).isNull();
      assertThat(c.check(false)).isEmpty();
      assertThat(Files.exists(file)).isFalse();
    }
  }

  @Test
  void missingOrShortValueFile_isDetected() throws IOException {
    try (Cache<String, byte[]> c = open()) {
      c.put("gone", new byte[5000]);
      c.put("short", new byte[6000]);
    }
    List<Path> files = blobFiles();
    assertThat(files).hasSize(2);
    try (Cache<String, byte[]> c = open()) {
      Files.delete(fileWithSize(5000));
      Path shortFile = fileWithSize(6000);
      try (RandomAccessFile f = new RandomAccessFile(shortFile.toFile(), "rw")) {
        f.setLength(100);
      }
      assertThatThrownBy(() -> c.get("gone")).isInstanceOf(CorruptionException.class).hasMessageContaining("missing");
      assertThatThrownBy(() -> c.get("short")).isInstanceOf(CorruptionException.class).hasMessageContaining("bytes long");
      assertThat(c.check(true)).extracting(Finding::kind).containsOnly(Finding.Kind.MISSING_FILE);
      assertThat(c.get("gone")).isNull();
      assertThat(c.check(false)).isEmpty();
    }
  }

  @Test
  void orphanAndTempFilesLeftByACrash_areSweptOnOpenAndByCheck() throws IOException {
    try (Cache<String, byte[]> c = open()) {
      c.put("kept", new byte[3000]);
    }
    byte[] id = new byte[16];
    new Random(3).nextBytes(id);
    String hex = HexFormat.of().formatHex(id);
    Path orphan = dir.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    Files.createDirectories(orphan.getParent());
    Files.write(orphan, new byte[10]);
    // A temporary file of a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max default).
    Path temp = dir.resolve("tmp").resolve("4194305-" + hex + ".tmp");
    Files.createDirectories(temp.getParent());
    Files.write(temp, new byte[10]);
    try (Cache<String, byte[]> c = open()) {
      Eventually.await(Duration.ofSeconds(10), "the open-time sweep deletes leftovers",
          () -> !Files.exists(orphan) && !Files.exists(temp));
      assertThat(c.get("kept")).hasSize(3000);
      assertThat(c.check(false)).isEmpty();
    }
  }

  @Test
  void badArguments_areRefusedClearly() {
    try (Cache<String, byte[]> c = open()) {
      assertThatThrownBy(() -> c.put("k", new byte[1], Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ttl must be positive");
      assertThatThrownBy(() -> c.put("k", new byte[1], Duration.ofSeconds(-5))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Put.tags("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag");
      assertThatThrownBy(() -> Put.tags("x".repeat(251))).isInstanceOf(IllegalArgumentException.class);
      String[] many = new String[Put.MAX_TAGS + 1];
      Arrays.setAll(many, i -> "t" + i);
      assertThatThrownBy(() -> Put.tags(many)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
      assertThatThrownBy(() -> c.put("x".repeat(70_000), new byte[1])).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("limit");
      assertThatThrownBy(() -> c.touch("k", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
      assertThat(c.size()).isZero();
    }
    assertThatThrownBy(() -> Larder.builder(dir).maxSize(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSize");
    assertThatThrownBy(() -> Larder.builder(dir).maxSize(1L << 50)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Larder.builder(dir).blobThreshold(10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Larder.builder(dir).maxSize(1 << 20).maxSize(1 << 21)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already set");
  }

  @Test
  void sameDirectoryWithOtherDurability_inOneProcess_isRefused() {
    try (Cache<String, byte[]> c = open()) {
      assertThatThrownBy(() -> Larder.builder(dir).durability(Durability.SYNC).open())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("PROCESS");
      try (Cache<String, byte[]> same = Larder.builder(dir).open()) {
        same.put("shared", new byte[1]);
        assertThat(c.get("shared")).hasSize(1);
      }
      assertThat(c.get("shared")).hasSize(1);
    }
  }

  private Path fileWithSize(long size) throws IOException {
    for (Path p : blobFiles()) {
      if (Files.size(p) == size) {
        return p;
      }
    }
    throw new AssertionError("no value file of " + size + " bytes");
  }

  private Path onlyBlobFile() throws IOException {
    List<Path> files = blobFiles();
    assertThat(files).hasSize(1);
    return files.get(0);
  }

  private List<Path> blobFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  /** Flips one byte of every occurrence of {@code pattern} in {@code file}; returns how many. */
  static int flipEvery(Path file, byte[] pattern, int offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long size = f.length();
      byte[] chunk = new byte[1 << 20];
      int flipped = 0;
      for (long pos = 0; pos < size; pos += chunk.length - pattern.length) {
        f.seek(pos);
        int n = f.read(chunk);
        if (n <= 0) {
          break;
        }
        for (int i = 0; i + pattern.length <= n; i++) {
          if (Arrays.equals(chunk, i, i + pattern.length, pattern, 0, pattern.length)) {
            f.seek(pos + i + offset);
            f.write(chunk[i + offset] ^ 0x01);
            chunk[i + offset] ^= 0x01;
            flipped++;
          }
        }
      }
      return flipped;
    }
  }
}
