package dev.larder.jcache;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.cache.CacheException;

/**
 * Where JCache caches live on disk, and the names of their Larder namespaces.
 *
 * <ul>
 *   <li>The provider's home is the system property {@value LarderCachingProvider#HOME_PROPERTY},
 *       or {@code $XDG_CACHE_HOME/larder/jcache}, or {@code ~/.cache/larder/jcache}.
 *   <li>The default cache manager's URI is {@code file:<home>/default}.
 *   <li>A cache manager's URI names its directory: a {@code file:} URI or an absolute path as it
 *       is, a relative one (such as {@code orders}) under the home.
 *   <li>A cache's entries are in the namespace {@code jcache:<name>} of its manager's directory, or
 *       of {@code <manager directory>/caches/<escaped name>} when it has a directory of its own.
 * </ul>
 */
final class Directories {
  private static final int MAX_PLAIN_NAMESPACE = 190;
  private static final int MAX_PLAIN_FILE_NAME = 120;

  private Directories() {}

  /** The provider's home directory. */
  static Path home() {
    String home = System.getProperty(LarderCachingProvider.HOME_PROPERTY);
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath().normalize();
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("larder").resolve("jcache").toAbsolutePath().normalize();
  }

  /** The default cache manager's URI. */
  static URI defaultUri() {
    return uriOf(home().resolve("default"));
  }

  /** A stable {@code file:} URI for a directory, whether or not it exists yet. */
  static URI uriOf(Path dir) {
    try {
      return new URI("file", null, dir.toAbsolutePath().normalize().toString(), null);
    } catch (URISyntaxException e) {
      throw new CacheException("cannot make a URI of " + dir + ": " + e, e);
    }
  }

  /**
   * The directory a cache manager URI names.
   *
   * @throws CacheException if the URI has a scheme other than {@code file}
   */
  static Path directoryOf(URI uri) {
    if (uri.getScheme() == null) {
      Path p = Path.of(uri.getPath());
      return (p.isAbsolute() ? p : home().resolve(p)).normalize();
    }
    if ("file".equalsIgnoreCase(uri.getScheme())) {
      return Path.of(uri).toAbsolutePath().normalize();
    }
    throw new CacheException("a Larder cache manager URI names a directory: a file: URI or a path, got " + uri);
  }

  /** The Larder namespace of a cache's entries. */
  static String namespaceOf(String cacheName) {
    if (cacheName.getBytes(StandardCharsets.UTF_8).length <= MAX_PLAIN_NAMESPACE && !cacheName.isEmpty()) {
      return "jcache:" + cacheName;
    }
    return "jcache#" + sha256(cacheName);
  }

  /** The directory of a cache that has one of its own. */
  static Path ownDirectoryOf(Path managerDirectory, String cacheName) {
    return managerDirectory.resolve("caches").resolve(fileNameOf(cacheName));
  }

  /** A file name for a cache name: safe characters kept, others as %XX of their UTF-8, long ones hashed. */
  static String fileNameOf(String cacheName) {
    StringBuilder out = new StringBuilder();
    for (byte b : cacheName.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || (c == '.' && out.length() > 0)) {
        out.append(c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    if (out.length() == 0 || out.length() > MAX_PLAIN_FILE_NAME) {
      return "~" + sha256(cacheName);
    }
    return out.toString();
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
