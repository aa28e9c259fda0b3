package dev.larder.spring.example;

import dev.larder.spring.LarderCacheManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.cache.annotation.EnableCaching;

/**
 * The example's Spring configuration: caching enabled, Larder as the cache manager, books tagged
 * with their author. Expects two beans from outside: {@code cacheDirectory} and {@code callLog}
 * (a {@code Path}; {@code callLog} may point nowhere yet).
 */
@Configuration
@EnableCaching
public class ExampleConfiguration {

  @Bean
  public LarderCacheManager cacheManager(@Qualifier("cacheDirectory") Path cacheDirectory) {
    return LarderCacheManager.builder(cacheDirectory)
        .serialFilter("dev.larder.spring.example.*;java.base/*;!*")
        .ttl("books", Duration.ofHours(1))
        .tags("books", (key, book) -> book == null ? Set.of() : Set.of("author:" + ((Book) book).author()))
        .build();
  }

  @Bean
  public Catalog catalog(@Qualifier("callLog") Path callLog) {
    return new Catalog(callLog);
  }
}
