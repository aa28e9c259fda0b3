package dev.larder.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link BenchStore} over SQLite through sqlite-jdbc, laid out and tuned as python-diskcache lays
 * out its {@code cache.db}: the table {@code Cache(rowid, key, raw, store_time, expire_time,
 * access_time, access_count, tag, size, mode, filename, value)} with a unique index on {@code (key,
 * raw)} and indexes on {@code store_time} and {@code expire_time}; {@code journal_mode=WAL}, {@code
 * synchronous=NORMAL} (a process crash loses nothing, a power loss may lose the last commits),
 * {@code mmap_size=64 MiB}, {@code cache_size=8192} pages. A get is diskcache's select with the
 * expiry test; a put is one upsert in its own transaction (auto-commit). Unlike diskcache, values of
 * 32 KiB and more stay in the row rather than in a file of their own, and there are no count and
 * size triggers.
 *
 * <p>Each thread gets its own connection (a JDBC connection is not for concurrent use); writers
 * across threads and processes queue on SQLite's lock with a 60 s busy timeout.
 */
final class SqliteStore implements BenchStore {
  private static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS Cache (rowid INTEGER PRIMARY KEY, key BLOB, raw INTEGER,"
        + " store_time REAL, expire_time REAL, access_time REAL, access_count INTEGER DEFAULT 0,"
        + " tag BLOB, size INTEGER DEFAULT 0, mode INTEGER DEFAULT 0, filename TEXT, value BLOB)",
    "CREATE UNIQUE INDEX IF NOT EXISTS Cache_key_raw ON Cache(key, raw)",
    "CREATE INDEX IF NOT EXISTS Cache_expire_time ON Cache (expire_time)",
    "CREATE INDEX IF NOT EXISTS Cache_store_time ON Cache (store_time)",
  };
  private static final String GET = "SELECT rowid, expire_time, mode, filename, value FROM Cache"
      + " WHERE key = ? AND raw = 1 AND (expire_time IS NULL OR expire_time > ?)";
  private static final String PUT = "INSERT INTO Cache (key, raw, store_time, expire_time,"
      + " access_time, access_count, tag, size, mode, filename, value)"
      + " VALUES (?, 1, ?, NULL, ?, 0, NULL, ?, 1, NULL, ?)"
      + " ON CONFLICT (key, raw) DO UPDATE SET store_time = excluded.store_time,"
      + " expire_time = NULL, access_time = excluded.access_time, access_count = 0, tag = NULL,"
      + " size = excluded.size, mode = 1, filename = NULL, value = excluded.value";

  private final String url;
  private final List<Session> sessions = new ArrayList<>();
  private final ThreadLocal<Session> session = ThreadLocal.withInitial(this::openSession);

  SqliteStore(Path dir) {
    url = "jdbc:sqlite:" + dir.resolve("cache.db");
    session.get();
  }

  @Override
  public byte[] get(String key) {
    Session s = session.get();
    try {
      s.get.setBytes(1, key.getBytes(UTF_8));
      s.get.setDouble(2, System.currentTimeMillis() / 1000.0);
      try (ResultSet rs = s.get.executeQuery()) {
        return rs.next() ? rs.getBytes(5) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQLite get of " + key + " failed", e);
    }
  }

  @Override
  public void put(String key, byte[] value) {
    Session s = session.get();
    try {
      bind(s.put, key, value);
      s.put.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("SQLite put of " + key + " failed", e);
    }
  }

  @Override
  public void putAll(Map<String, byte[]> entries) {
    Session s = session.get();
    try {
      s.connection.setAutoCommit(false);
      try {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          bind(s.put, e.getKey(), e.getValue());
          s.put.executeUpdate();
        }
        s.connection.commit();
      } catch (SQLException e) {
        s.connection.rollback();
        throw e;
      } finally {
        s.connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQLite putAll of " + entries.size() + " entries failed", e);
    }
  }

  @Override
  public synchronized void close() {
    for (Session s : sessions) {
      try {
        s.connection.close();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot close " + url, e);
      }
    }
    sessions.clear();
  }

  private static void bind(PreparedStatement put, String key, byte[] value) throws SQLException {
    double now = System.currentTimeMillis() / 1000.0;
    put.setBytes(1, key.getBytes(UTF_8));
    put.setDouble(2, now);
    put.setDouble(3, now);
    put.setLong(4, value.length);
    put.setBytes(5, value);
  }

  private synchronized Session openSession() {
    try {
      Connection c = DriverManager.getConnection(url);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = 60000");
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = NORMAL");
        st.execute("PRAGMA mmap_size = 67108864");
        st.execute("PRAGMA cache_size = 8192");
        for (String ddl : SCHEMA) {
          st.execute(ddl);
        }
      }
      Session s = new Session(c, c.prepareStatement(GET), c.prepareStatement(PUT));
      sessions.add(s);
      return s;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open " + url, e);
    }
  }

  private record Session(Connection connection, PreparedStatement get, PreparedStatement put) {}
}
