package dev.larder.spring.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/**
 * A slow catalog whose lookups Spring caches in Larder. Each real lookup counts itself, in memory
 * and, when a call log is given, as a line in that file, so that a test can tell computed results
 * from cached ones across restarts.
 */
public class Catalog {
  private final AtomicInteger lookups = new AtomicInteger();
  private final Path callLog;

  public Catalog(Path callLog) {
    this.callLog = callLog;
  }

  /** Looks a book up: the expensive call that the cache saves. */
  @Cacheable("books")
  public Book find(String isbn) {
    return lookUp(isbn);
  }

  /** Like {@link #find}, with one lookup per key across all threads and processes. */
  @Cacheable(cacheNames = "books", sync = true)
  public Book findOnce(String isbn) {
    return lookUp(isbn);
  }

  /** Finds nothing for unknown books; the {@code null} is cached too. */
  @Cacheable("missing")
  public Book findMissing(String isbn) {
    lookups.incrementAndGet();
    return null;
  }

  @CachePut(cacheNames = "books", key = "#book.isbn")
  public Book save(Book book) {
    return book;
  }

  @CacheEvict("books")
  public void remove(String isbn) {}

  @CacheEvict(cacheNames = "books", allEntries = true)
  public void removeAll() {}

  /** Forgets every cached book by {@code author}: a tag eviction, in any cache that holds them. */
  @CacheEvict(cacheNames = "books", key = "T(dev.larder.spring.Tag).of('author:' + #author)")
  public void authorChanged(String author) {}

  public int lookups() {
    return lookups.get();
  }

  private Book lookUp(String isbn) {
    lookups.incrementAndGet();
    if (callLog != null) {
      try {
        Files.writeString(callLog, "lookup " + isbn + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String author = isbn.startsWith("1") ? "Tolkien" : "Le Guin";
    return new Book(isbn, "Title of " + isbn, author, ProcessHandle.current().pid());
  }
}
