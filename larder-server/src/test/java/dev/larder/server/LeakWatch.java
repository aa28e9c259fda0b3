package dev.larder.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose run leaked a Netty buffer. Installs, before any Netty buffer class is
 * loaded, a leak detector factory whose detectors record every leak report instead of only logging
 * it; surefire runs with {@code -Dio.netty.leakDetection.level=PARANOID}, so every buffer is
 * tracked. After the class, it collects garbage and allocates until the detector has drained its
 * reference queue, then asserts that nothing was reported.
 *
 * <p>Register it in every test class that touches Netty as {@code @RegisterExtension static final
 * LeakWatch LEAKS = new LeakWatch();} so the factory is in place before the first buffer.
 */
final class LeakWatch implements AfterAllCallback {
  static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      @SuppressWarnings("deprecation")
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return new ResourceLeakDetector<T>(resource, samplingInterval) {
          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK (untraced): " + resourceType);
            super.reportUntracedLeak(resourceType);
          }
        };
      }
    });
  }

  /** Forces pending leak reports out: garbage collection, then allocations that poll the queue. */
  static void flush() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      System.runFinalization();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (ByteBufAllocator a : new ByteBufAllocator[] {ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT}) {
        for (int i = 0; i < 200; i++) {
          ByteBuf b = a.buffer(8);
          b.release();
        }
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!"PARANOID".equalsIgnoreCase(System.getProperty("io.netty.leakDetection.level", ""))) {
      throw new AssertionError("tests must run with -Dio.netty.leakDetection.level=PARANOID");
    }
    flush();
    if (!LEAKS.isEmpty()) {
      List<String> copy = List.copyOf(LEAKS);
      LEAKS.clear();
      throw new AssertionError(copy.size() + " Netty buffer leak(s) in " + context.getDisplayName() + ":\n"
          + String.join("\n", copy));
    }
  }
}
