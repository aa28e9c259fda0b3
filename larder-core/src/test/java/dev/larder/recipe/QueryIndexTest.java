package dev.larder.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.EvictionPolicy;
import dev.larder.Larder;
import dev.larder.testkit.ChildJvm;
import dev.larder.testkit.Eventually;
import dev.larder.testkit.Seeds;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QueryIndex against a real embedded SQL database (H2, shared by processes through its automatic
 * server mode) as the source of truth: items move between categories in two threads and two child
 * JVMs while readers in two threads query the index. At every pause the index answers exactly what
 * the database holds for every category (nothing extra, nothing missing) and its nodes hold no more
 * than the items; while things move, every answer's ids had the asked category when checked.
 */
class QueryIndexTest {
  @TempDir Path dir;

  @Test
  void concurrentMovesAcrossThreadsAndProcesses_answersMatchTheDatabase() throws Exception {
    long seed = Seeds.seed("QueryIndexTest");
    Random random = new Random(seed);
    String url = "jdbc:h2:file:" + dir.resolve("db") + ";AUTO_SERVER=TRUE";
    // This connection stays open for the whole test: it keeps the database (and its automatic
    // server, through which the child JVMs connect) up.
    try (Connection keeper = DriverManager.getConnection(url, "sa", "")) {
      run(url, keeper, random);
    }
  }

  private void run(String url, Connection c, Random random) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, category INT NOT NULL)");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
        for (int i = 0; i < QueryMover.ITEMS; i++) {
          insert.setLong(1, i);
          insert.setInt(2, i % QueryMover.CATEGORIES);
          insert.executeUpdate();
        }
      }
    }
    Path cacheDir = dir.resolve("cache");
    try (Cache<String, byte[]> cache = Larder.builder(cacheDir).evictionPolicy(EvictionPolicy.NONE).open()) {
      QueryIndex<Integer, Long> index = QueryMover.index(cache, url);
      for (int i = 0; i < QueryMover.ITEMS; i++) {
        index.add(i % QueryMover.CATEGORIES, (long) i);
      }
      List<ChildJvm> children = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
      try {
        for (int p = 0; p < 2; p++) {
          children.add(ChildJvm.start(QueryMover.class, cacheDir.toString(), url, "p" + p, Long.toString(random.nextLong())));
        }
        for (ChildJvm child : children) {
          child.awaitLine("READY"::equals, Duration.ofSeconds(60));
        }
        for (int t = 0; t < 2; t++) {
          Thread mover = new Thread(new QueryMover(cache, url, "t" + t, random.nextLong()));
          threads.add(mover);
          mover.start();
        }
        for (int t = 0; t < 2; t++) {
          long readerSeed = random.nextLong();
          Thread reader = new Thread(() -> read(cache, index, url, new Random(readerSeed), violations));
          threads.add(reader);
          reader.start();
        }
        for (int phase = 0; phase < 5; phase++) {
          Thread.sleep(600);
          cache.put("pause", new byte[] {1});
          Eventually.await(Duration.ofSeconds(30), "movers paused", () -> pausedMovers(cache) == 4);
          assertExact(index, url);
          cache.delete("pause");
        }
      } finally {
        cache.put("stop", new byte[] {1});
        for (Thread t : threads) {
          t.join(30_000);
        }
        for (ChildJvm child : children) {
          assertThat(child.waitFor(Duration.ofSeconds(60))).as(child.stderr()).isZero();
        }
      }
      assertThat(violations).isEmpty();
      assertThat(cache.check(false)).isEmpty();
    }
  }

  private static int pausedMovers(Cache<String, byte[]> cache) {
    return (int) cache.keys("paused:").count();
  }

  /** With everything still, each category's answer is exactly the database's, and nodes are clean. */
  private static void assertExact(QueryIndex<Integer, Long> index, String url) throws Exception {
    for (int category = 0; category < QueryMover.CATEGORIES; category++) {
      Set<Long> truth = new HashSet<>();
      try (Connection c = DriverManager.getConnection(url, "sa", "");
          PreparedStatement s = c.prepareStatement("SELECT id FROM items WHERE category = ?")) {
        s.setInt(1, category);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            truth.add(r.getLong(1));
          }
        }
      }
      List<Long> answer = index.get(category);
      assertThat(new HashSet<>(answer)).as("category %d", category).isEqualTo(truth);
      assertThat(answer).doesNotHaveDuplicates();
      assertThat(index.nodeSize(category)).as("node %d after a read", category).isEqualTo(truth.size());
    }
  }

  /** While items move: every id in an answer had the asked category when the index checked it. */
  private static void read(Cache<String, byte[]> cache, QueryIndex<Integer, Long> index, String url, Random random,
      List<String> violations) {
    while (cache.get("stop") == null) {
      int category = random.nextInt(QueryMover.CATEGORIES);
      Set<Long> checked = new HashSet<>();
      QueryIndex<Integer, Long> recording = QueryIndex.of(cache, "by-category", dev.larder.Codec.int64(), String::valueOf,
          id -> {
            Integer now = QueryMover.category(url, id);
            if (Integer.valueOf(category).equals(now)) {
              checked.add(id);
            }
            return now;
          });
      for (Long id : recording.get(category)) {
        if (!checked.contains(id)) {
          violations.add("returned " + id + " for category " + category + " without a matching check");
        }
      }
      if (index.nodeSize(category) > QueryMover.ITEMS * 4) {
        violations.add("node " + category + " grew to " + index.nodeSize(category));
      }
    }
  }
}
