package dev.larder.recipe;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Larder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Random;

/**
 * Moves items between categories: in the SQL database first, then {@code index.add} for the new
 * category, as an application would. Pauses while the cache key {@code pause} is set (writing
 * {@code paused:<id>} once it stands still), and stops when {@code stop} is set. Used by {@link
 * QueryIndexTest} in threads and as a child JVM ({@code main(dir, jdbcUrl, moverId, seed)}).
 */
public final class QueryMover implements Runnable {
  static final int ITEMS = 300;
  static final int CATEGORIES = 6;

  private final Cache<String, byte[]> cache;
  private final String url;
  private final String id;
  private final Random random;

  QueryMover(Cache<String, byte[]> cache, String url, String id, long seed) {
    this.cache = cache;
    this.url = url;
    this.id = id;
    this.random = new Random(seed);
  }

  static QueryIndex<Integer, Long> index(Cache<String, byte[]> cache, String url) {
    return QueryIndex.of(cache, "by-category", Codec.int64(), String::valueOf, itemId -> category(url, itemId));
  }

  static Integer category(String url, long itemId) {
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        PreparedStatement s = c.prepareStatement("SELECT category FROM items WHERE id = ?")) {
      s.setLong(1, itemId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getInt(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void run() {
    QueryIndex<Integer, Long> index = index(cache, url);
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        PreparedStatement move = c.prepareStatement("UPDATE items SET category = ? WHERE id = ?")) {
      while (cache.get("stop") == null) {
        if (cache.get("pause") != null) {
          cache.put("paused:" + id, new byte[] {1});
          Thread.sleep(2);
          continue;
        }
        cache.delete("paused:" + id);
        long item = random.nextInt(ITEMS);
        int category = random.nextInt(CATEGORIES);
        move.setInt(1, category);
        move.setLong(2, item);
        move.executeUpdate();
        index.add(category, item);
      }
    } catch (SQLException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void main(String[] args) {
    try (Cache<String, byte[]> cache = Larder.builder(Path.of(args[0])).open()) {
      System.out.println("READY");
      new QueryMover(cache, args[1], args[2], Long.parseLong(args[3])).run();
    }
    System.out.println("DONE");
  }
}
