package dev.larder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.SerializationException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests for {@code decr(key, Long.MIN_VALUE)}, found by {@link CacheModelTest}: it used
 * to negate the delta and call {@code incr}, refusing {@code Long.MIN_VALUE} before reading the
 * value; it now subtracts.
 */
class DecrBugTest {
  @TempDir Path dir;
  private Cache<String, byte[]> cache;

  @BeforeEach
  void open() {
    cache = Larder.builder(dir).open();
  }

  @AfterEach
  void close() {
    assertThat(cache.check(false)).isEmpty();
    cache.close();
  }

  /** "Subtracts delta": -1 - Long.MIN_VALUE is Long.MAX_VALUE, which does not overflow. */
  @Test
  void decr_minValueFromNegativeCounter_subtracts() {
    cache.incr("c", -1);

    assertThat(cache.decr("c", Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
  }

  /** A value that is not a counter is a SerializationException for every other delta. */
  @Test
  void decr_minValueOnNonNumericValue_throwsSerializationException() {
    cache.put("c", new byte[] {'x'});

    assertThatThrownBy(() -> cache.decr("c", Long.MIN_VALUE)).isInstanceOf(SerializationException.class);
  }
}
