package dev.larder.jcache;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * A cache's JCache statistics, counted in this JVM: the specification's counters are per cache and
 * per provider instance, and other processes keep their own. Registered as the {@code
 * CacheStatistics} MBean when statistics are enabled. Thread-safe.
 *
 * <p>Average times are in microseconds, over the operations of their kind (the reference
 * implementation divides all three by the number of gets; we divide put time by puts and remove
 * time by removals, as the names say).
 */
final class CacheStatistics implements CacheStatisticsMXBean {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();
  private final LongSupplier evictions;
  private volatile long evictionsAtClear;

  /** @param evictions a running count of evictions from the cache's storage (see the guide) */
  CacheStatistics(LongSupplier evictions) {
    this.evictions = evictions;
    this.evictionsAtClear = evictions.getAsLong();
  }

  void hits(long n) {
    hits.add(n);
  }

  void misses(long n) {
    misses.add(n);
  }

  void puts(long n) {
    puts.add(n);
  }

  void removals(long n) {
    removals.add(n);
  }

  void getTime(long nanos) {
    getNanos.add(nanos);
  }

  void putTime(long nanos) {
    putNanos.add(nanos);
  }

  void removeTime(long nanos) {
    removeNanos.add(nanos);
  }

  @Override
  public void clear() {
    hits.reset();
    misses.reset();
    puts.reset();
    removals.reset();
    getNanos.reset();
    putNanos.reset();
    removeNanos.reset();
    evictionsAtClear = evictions.getAsLong();
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    long h = getCacheHits();
    long gets = h + getCacheMisses();
    return gets == 0 ? 0 : h * 100f / gets;
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    long m = getCacheMisses();
    long gets = m + getCacheHits();
    return gets == 0 ? 0 : m * 100f / gets;
  }

  @Override
  public long getCacheGets() {
    return getCacheHits() + getCacheMisses();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return Math.max(0, evictions.getAsLong() - evictionsAtClear);
  }

  @Override
  public float getAverageGetTime() {
    return average(getNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return average(putNanos.sum(), getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return average(removeNanos.sum(), getCacheRemovals());
  }

  private static float average(long nanos, long count) {
    return count == 0 ? 0 : nanos / 1000f / count;
  }
}
