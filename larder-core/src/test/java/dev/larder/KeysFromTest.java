package dev.larder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Cache#keys(Object, Object)}: prefix iteration that starts at a seek position. */
class KeysFromTest {
  @TempDir Path dir;
  private Cache<String, byte[]> cache;

  @BeforeEach
  void open() {
    cache = Larder.builder(dir).open();
  }

  @AfterEach
  void checkAndClose() {
    assertThat(cache.check(false)).isEmpty();
    cache.close();
  }

  private List<String> from(String prefix, String from) {
    return cache.keys(prefix, from).collect(Collectors.toList());
  }

  @Test
  void keysFrom_fromInTheMiddle_startsAtFirstKeyAtOrAfterIt() {
    for (String k : List.of("a:1", "a:3", "a:5", "b:1", "a:")) {
      cache.put(k, new byte[] {1});
    }
    assertThat(from("a:", "a:3")).containsExactly("a:3", "a:5");
    assertThat(from("a:", "a:2")).containsExactly("a:3", "a:5");
    assertThat(from("a:", "a:6")).isEmpty();
    assertThat(from("a:", "")).containsExactly("a:", "a:1", "a:3", "a:5");
    assertThat(from("", "a:4")).containsExactly("a:5", "b:1");
  }

  @Test
  void keysFrom_manyKeysAcrossBatches_seeksAndContinuesInOrder() {
    for (int i = 0; i < 1000; i++) {
      cache.put(String.format("k%04d", i), new byte[] {1});
    }
    List<String> got = from("k", "k0400");
    assertThat(got).hasSize(600).first().isEqualTo("k0400");
    assertThat(got).isSorted();
  }

  @Test
  void keysFrom_longKeysSharingTheStoredPrefix_sortedAndBounded() {
    String stem = "x".repeat(600);
    List<String> keys = IntStream.range(0, 20).mapToObj(i -> stem + (char) ('a' + i)).collect(Collectors.toList());
    for (String k : keys) {
      cache.put(k, new byte[] {2});
    }
    assertThat(from("x", stem + "k")).containsExactlyElementsOf(keys.subList(10, 20));
  }

  @Test
  void keysFrom_inNamespace_seesOnlyTheNamespace() {
    Namespace<String, byte[]> ns = cache.namespace("n");
    ns.put("a", new byte[] {1});
    ns.put("b", new byte[] {1});
    cache.put("b", new byte[] {1});
    assertThat(ns.keys("", "b").collect(Collectors.toList())).containsExactly("b");
    ns.invalidate();
    assertThat(ns.keys("", "a").collect(Collectors.toList())).isEmpty();
  }
}
