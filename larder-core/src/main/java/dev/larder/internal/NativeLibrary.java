package dev.larder.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the LMDB shared library before lmdbjava loads it.
 *
 * <p>lmdbjava copies its bundled library to a new temporary file in every JVM and deletes it on a
 * clean exit, so every JVM killed with {@code kill -9} leaves a 350 KiB file in {@code /tmp}.
 * Instead (DESIGN.md section 2): an explicit {@code lmdbjava.native.lib} wins; otherwise a system
 * {@code liblmdb} is used when present; otherwise the bundled library is extracted once to a stable
 * path named by its SHA-256 under the user's cache directory and reused by every later JVM.
 * Extraction writes a temporary file and renames it, so concurrent JVMs never load a half-written
 * library.
 */
public final class NativeLibrary {
  private static final System.Logger LOG = System.getLogger(NativeLibrary.class.getName());
  static final String PROPERTY = "lmdbjava.native.lib";

  private static final List<String> SYSTEM_CANDIDATES = List.of(
      "/usr/lib/x86_64-linux-gnu/liblmdb.so.0",
      "/usr/lib/aarch64-linux-gnu/liblmdb.so.0",
      "/usr/lib64/liblmdb.so.0",
      "/usr/lib/liblmdb.so.0",
      "/usr/local/lib/liblmdb.so.0",
      "/opt/homebrew/lib/liblmdb.dylib",
      "/usr/local/lib/liblmdb.dylib");

  private static boolean prepared;

  private NativeLibrary() {}

  /** Sets {@code lmdbjava.native.lib} if it is unset; call before any lmdbjava class is used. */
  public static synchronized void prepare() {
    if (prepared) {
      return;
    }
    prepared = true;
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isEmpty()) {
      return;
    }
    if (!Boolean.getBoolean("larder.native.bundled")) {
      for (String candidate : SYSTEM_CANDIDATES) {
        if (Files.isReadable(Path.of(candidate))) {
          System.setProperty(PROPERTY, candidate);
          LOG.log(Level.DEBUG, "using the system LMDB library {0}", candidate);
          return;
        }
      }
    }
    String resource = embeddedResource();
    if (resource == null) {
      return; // an unknown platform: let lmdbjava report it
    }
    try {
      Path extracted = extractOnce(resource);
      System.setProperty(PROPERTY, extracted.toString());
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot extract the LMDB library to a stable path; lmdbjava will use a temporary copy", e);
    }
  }

  /** The classpath name of lmdbjava's bundled library for this platform, as lmdbjava computes it. */
  static String embeddedResource() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ENGLISH);
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ENGLISH);
    String a;
    if (arch.startsWith("aarch64")) {
      a = "aarch64";
    } else if (arch.startsWith("x86_64") || arch.startsWith("amd64")) {
      a = "x86_64";
    } else {
      return null;
    }
    String name;
    if (os.startsWith("linux")) {
      name = a + "-linux-gnu.so";
    } else if (os.startsWith("mac os")) {
      name = a + "-macos-none.so";
    } else if (os.startsWith("windows")) {
      name = a + "-windows-gnu.dll";
    } else {
      return null;
    }
    return "org/lmdbjava/native/" + name;
  }

  private static Path extractOnce(String resource) throws IOException {
    byte[] library;
    try (InputStream in = NativeLibrary.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no " + resource + " on the classpath");
      }
      library = in.readAllBytes();
    }
    String digest = HexFormat.of().formatHex(sha256(library), 0, 12);
    String fileName = resource.substring(resource.lastIndexOf('/') + 1);
    Path dir = baseDirectory().resolve("lmdb-" + digest);
    Path target = dir.resolve(fileName);
    if (Files.isRegularFile(target) && Files.size(target) == library.length
        && MessageDigest.isEqual(sha256(Files.readAllBytes(target)), sha256(library))) {
      return target;
    }
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, fileName, ".tmp");
    try {
      Files.write(temp, library);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return target;
  }

  private static Path baseDirectory() {
    String override = System.getProperty("larder.native.dir");
    if (override != null && !override.isEmpty()) {
      return Path.of(override);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isEmpty()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home", System.getProperty("java.io.tmpdir")), ".cache");
    Path dir = base.resolve("larder").resolve("native");
    if (isWritable(dir)) {
      return dir;
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "larder-native-" + System.getProperty("user.name", "user"));
  }

  private static boolean isWritable(Path dir) {
    try {
      Files.createDirectories(dir);
      return Files.isWritable(dir);
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
