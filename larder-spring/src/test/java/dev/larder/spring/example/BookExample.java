package dev.larder.spring.example;

import java.nio.file.Path;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The example application: starts a Spring context with Larder as its cache, looks a book up and
 * prints {@code RESULT <book>}. Run it twice on the same directory: the second run prints the book
 * the first run computed (its {@code computedBy} is the first run's process id) and the call log
 * shows one lookup.
 *
 * <pre>{@code
 * java -cp ... dev.larder.spring.example.BookExample /tmp/books-cache /tmp/books-calls.txt 9780261103573
 * }</pre>
 *
 * <p>Arguments: the cache directory, the call log file, the ISBN.
 */
public final class BookExample {
  private BookExample() {}

  public static void main(String[] args) {
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context.registerBean("cacheDirectory", Path.class, () -> Path.of(args[0]));
      context.registerBean("callLog", Path.class, () -> Path.of(args[1]));
      context.register(ExampleConfiguration.class);
      context.refresh();
      Book book = context.getBean(Catalog.class).find(args[2]);
      System.out.println("RESULT " + book);
    }
  }
}
