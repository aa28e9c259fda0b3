package dev.larder.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.spring.example.Book;
import dev.larder.spring.example.Catalog;
import dev.larder.spring.example.ExampleConfiguration;
import dev.larder.testkit.Invariants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** The cache annotations against a persistent directory, in a real Spring application context. */
class SpringContextTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path dir;
  private AnnotationConfigApplicationContext context;
  private Catalog catalog;

  @BeforeEach
  void start() {
    context = newContext();
    catalog = context.getBean(Catalog.class);
    LarderCacheManager manager = context.getBean(LarderCacheManager.class);
    invariants.register("check", () -> manager.getLarder().check(false));
  }

  @AfterEach
  void stop() {
    context.close();
  }

  private AnnotationConfigApplicationContext newContext() {
    AnnotationConfigApplicationContext c = new AnnotationConfigApplicationContext();
    c.registerBean("cacheDirectory", Path.class, () -> dir.resolve("cache"));
    c.registerBean("callLog", Path.class, () -> dir.resolve("calls.txt"));
    c.register(ExampleConfiguration.class);
    c.refresh();
    return c;
  }

  @Test
  void cacheable_secondCall_isServedFromTheCache() {
    Book first = catalog.find("1");
    Book second = catalog.find("1");

    assertThat(second).isEqualTo(first);
    assertThat(catalog.lookups()).isEqualTo(1);
  }

  @Test
  void cacheable_afterTheContextRestarts_isStillCached() {
    Book first = catalog.find("1");
    context.close();

    context = newContext();
    Catalog restarted = context.getBean(Catalog.class);
    LarderCacheManager manager = context.getBean(LarderCacheManager.class);
    invariants.register("check", () -> manager.getLarder().check(false));

    assertThat(restarted.find("1")).isEqualTo(first);
    assertThat(restarted.lookups()).isZero();
  }

  @Test
  void cacheable_nullResult_isCachedToo() {
    assertThat(catalog.findMissing("9")).isNull();
    assertThat(catalog.findMissing("9")).isNull();

    assertThat(catalog.lookups()).isEqualTo(1);
  }

  @Test
  void cachePut_replacesTheCachedValue() {
    catalog.find("1");
    Book edited = new Book("1", "New title", "Tolkien", 0);

    catalog.save(edited);

    assertThat(catalog.find("1")).isEqualTo(edited);
    assertThat(catalog.lookups()).isEqualTo(1);
  }

  @Test
  void cacheEvict_key_andAllEntries() {
    catalog.find("1");
    catalog.find("2");

    catalog.remove("1");
    catalog.find("1");
    catalog.find("2");
    assertThat(catalog.lookups()).isEqualTo(3);

    catalog.removeAll();
    catalog.find("1");
    catalog.find("2");
    assertThat(catalog.lookups()).isEqualTo(5);
  }

  @Test
  void cacheEvict_tag_removesOnlyThatAuthorsBooks() {
    catalog.find("10");
    catalog.find("11");
    catalog.find("20");

    catalog.authorChanged("Tolkien");

    catalog.find("20");
    assertThat(catalog.lookups()).isEqualTo(3);
    catalog.find("10");
    catalog.find("11");
    assertThat(catalog.lookups()).isEqualTo(5);
  }

  @Test
  void cacheableSync_concurrentCallers_lookUpOnce() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(6);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Book>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        results.add(threads.submit(() -> {
          go.await();
          return catalog.findOnce("1");
        }));
      }
      go.countDown();
      for (Future<Book> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS).isbn()).isEqualTo("1");
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(catalog.lookups()).isEqualTo(1);
  }

  @Test
  void closingTheContext_closesTheDirectory() {
    LarderCacheManager manager = context.getBean(LarderCacheManager.class);
    context.close();

    assertThatThrownBy(() -> manager.getLarder().size()).isInstanceOf(IllegalStateException.class);
    invariants.register("check", List::of);
  }
}
