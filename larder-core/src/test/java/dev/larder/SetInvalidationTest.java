package dev.larder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.testkit.Eventually;
import dev.larder.testkit.Invariants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Tags and namespaces in one process: exact, isolated, immediate, and never reusing generations. */
class SetInvalidationTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path dir;
  private Cache<String, byte[]> cache;

  @BeforeEach
  void open() {
    cache = Larder.builder(dir).blobThreshold(1024).open();
    invariants.register("check", () -> cache.check(false));
  }

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void evictTag_removesExactlyTheTaggedEntries_acrossBatches() throws Exception {
    Map<String, Boolean> tagged = new HashMap<>();
    for (int i = 0; i < 2600; i++) {
      boolean t = i % 3 != 0;
      String[] tags = t ? (i % 2 == 0 ? new String[] {"user", "page"} : new String[] {"user"}) : new String[] {"other"};
      cache.put("k" + i, new byte[i % 10 == 0 ? 2000 : 10], Put.tags(tags));
      tagged.put("k" + i, t);
    }
    long expected = tagged.values().stream().filter(b -> b).count();
    assertThat(cache.evictTag("user")).isEqualTo(expected);
    for (Map.Entry<String, Boolean> e : tagged.entrySet()) {
      assertThat(cache.containsKey(e.getKey())).as(e.getKey()).isEqualTo(!e.getValue());
    }
    assertThat(cache.evictTag("user")).isZero();
    assertThat(cache.evictTag("page")).isZero(); // the entries with both tags are gone already
    assertThat(cache.stats().tagEvictions()).isEqualTo(expected);
    try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(cache.keys().filter(k -> {
        try (StoredValue v = cache.open(k)) {
          return v.isFile();
        }
      }).count());
    }
  }

  @Test
  void evictTag_afterATagWasRewritten_leavesTheEntry() {
    cache.put("a", new byte[1], Put.tags("t"));
    cache.put("a", new byte[2], Put.tags("u"));
    cache.put("b", new byte[1], Put.tags("t"));
    assertThat(cache.evictTag("t")).isEqualTo(1);
    assertThat(cache.get("a")).hasSize(2);
  }

  @Test
  void namespaces_areIsolatedFromEachOtherAndFromTheCache() {
    Namespace<String, byte[]> a = cache.namespace("a");
    Namespace<String, byte[]> ab = cache.namespace("ab");
    cache.put("k", new byte[] {0});
    a.put("k", new byte[] {1});
    ab.put("k", new byte[] {2});
    a.put("k2", new byte[] {3});
    assertThat(cache.get("k")).containsExactly(0);
    assertThat(a.get("k")).containsExactly(1);
    assertThat(ab.get("k")).containsExactly(2);
    assertThat(a.keys().toList()).containsExactly("k", "k2");
    assertThat(cache.keys().toList()).containsExactly("k");
    assertThat(a.size()).isEqualTo(2);
    assertThat(cache.size()).isEqualTo(4);
    assertThat(a.incr("n", 5)).isEqualTo(5);
    long n = a.transact(tx -> tx.incr("n", 1));
    assertThat(n).isEqualTo(6);
  }

  @Test
  void invalidate_hidesEveryKeyAtOnce_andReclaimsThem() {
    Namespace<String, byte[]> ns = cache.namespace("cart:13");
    Namespace<String, byte[]> other = cache.namespace("cart:14");
    for (int i = 0; i < 3000; i++) {
      ns.put("item" + i, new byte[i % 500 == 0 ? 3000 : 20]);
    }
    other.put("item0", new byte[] {9});
    long before = ns.generation();
    ns.invalidate();
    assertThat(ns.generation()).isGreaterThan(before);
    assertThat(ns.get("item0")).isNull();
    assertThat(ns.keys().count()).isZero();
    assertThat(other.get("item0")).containsExactly(9);
    ns.put("item0", new byte[] {7});
    assertThat(ns.get("item0")).containsExactly(7);
    Eventually.await(Duration.ofSeconds(30), "old generation reclaimed", () -> cache.size() == 2);
    assertThat(cache.stats().namespaceEvictions()).isEqualTo(3000);
  }

  @Test
  void generations_areNeverReused_acrossReopenClearAndEviction() {
    List<Long> seen = new ArrayList<>();
    Namespace<String, byte[]> ns = cache.namespace("n");
    seen.add(ns.generation());
    for (int round = 0; round < 5; round++) {
      ns.put("k", new byte[1]);
      ns.invalidate();
      seen.add(ns.generation());
      cache.clear();
      cache.close();
      cache = Larder.builder(dir).maxEntries(10).open();
      ns = cache.namespace("n");
      for (int i = 0; i < 50; i++) {
        ns.put("fill" + i, new byte[1]); // heavy eviction
      }
      ns.invalidate();
      seen.add(ns.generation());
    }
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i)).isGreaterThan(seen.get(i - 1));
    }
  }

  @Test
  void badNamesAndTags_areRefused() {
    assertThatThrownBy(() -> cache.namespace("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> cache.namespace("x".repeat(201))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.evictTag("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.namespace("a").namespace("b")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> Larder.builder(dir).maxEntries(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries");
  }
}
