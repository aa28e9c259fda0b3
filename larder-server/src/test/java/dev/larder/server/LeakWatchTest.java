package dev.larder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leak watch itself: a buffer that is dropped without release is reported. */
class LeakWatchTest {
  @RegisterExtension static final LeakWatch LEAKS = new LeakWatch();

  @Test
  void flush_afterADroppedBuffer_recordsALeak() {
    leakOne();
    for (int i = 0; i < 5 && LeakWatch.LEAKS.isEmpty(); i++) {
      LeakWatch.flush();
    }
    assertThat(LeakWatch.LEAKS).isNotEmpty().allMatch(s -> s.startsWith("LEAK"));
    LeakWatch.LEAKS.clear();
  }

  private static void leakOne() {
    ByteBufAllocator.DEFAULT.buffer(16).writeInt(42); // never released
  }
}
