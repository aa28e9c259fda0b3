package dev.larder.recipe;

import dev.larder.Cache;
import dev.larder.Put;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A running average shared by every thread and process that opens the cache directory:
 * diskcache's {@code Averager}, for statistics such as the mean latency of a job that many
 * workers run.
 *
 * <pre>{@code
 * Averager latency = Averager.of(cache, "latency:render");
 * latency.add(elapsedMillis);
 * OptionalDouble mean = latency.get();
 * }</pre>
 *
 * <ul>
 *   <li><b>Thread-safe and process-safe.</b> Each {@link #add} is one write transaction on the
 *       record {@code averager <sum> <compensation> <count>} under the key {@code name}; no add is
 *       lost to a concurrent one. The sum is compensated (Neumaier's variant of Kahan summation),
 *       so the average of many values does not drift by rounding.
 *   <li><b>Crashes.</b> An add that returned survives a crash of any process; a power loss under
 *       {@code Durability.PROCESS} may lose the last ones.
 *   <li><b>Expiry.</b> With {@link #withTtl}, each add sets the record to expire that long after
 *       it, by the cache's clock: the average forgets itself when nobody adds.
 * </ul>
 *
 * <p>Immutable.
 */
public final class Averager {
  private static final String TYPE = "averager";

  private final Cache<String, byte[]> cache;
  private final String name;
  private final Put put;

  private Averager(Cache<String, byte[]> cache, String name, Put put) {
    this.cache = Checks.cache(cache);
    this.name = Checks.name(name);
    this.put = put;
  }

  /**
   * The averager named {@code name} in {@code cache}, whose record does not expire.
   *
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public static Averager of(Cache<String, byte[]> cache, String name) {
    return new Averager(cache, name, Put.DEFAULT);
  }

  /**
   * This averager with its record expiring {@code ttl} after each add.
   *
   * @throws IllegalArgumentException if {@code ttl} is not positive
   */
  public Averager withTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    return new Averager(cache, name, Put.ttl(ttl));
  }

  /** The name, which is also the key in the cache. */
  public String name() {
    return name;
  }

  /**
   * Adds {@code value} to the average: one write transaction.
   *
   * @throws IllegalArgumentException if {@code value} is NaN or infinite
   */
  public void add(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value must be a finite number, got " + value);
    }
    cache.transact(tx -> {
      State s = read(tx.get(name));
      tx.put(name, s.plus(value).encode(), put);
      return null;
    });
  }

  /** The average of the values added so far, or empty if none: one read. */
  public OptionalDouble get() {
    return read(cache.get(name)).average();
  }

  /** How many values were added: one read. */
  public long count() {
    return read(cache.get(name)).count();
  }

  /** Returns the average and starts over, in one write transaction. */
  public OptionalDouble pop() {
    return cache.transact(tx -> {
      State s = read(tx.get(name));
      tx.delete(name);
      return s.average();
    });
  }

  private State read(byte[] value) {
    if (value == null) {
      return new State(0, 0, 0);
    }
    String[] f = new String(value, StandardCharsets.UTF_8).split(" ");
    try {
      if (f.length == 4 && f[0].equals(TYPE)) {
        return new State(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Long.parseLong(f[3]));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw Records.notA(TYPE, name, value);
  }

  private record State(double sum, double compensation, long count) {
    State plus(double x) {
      double t = sum + x;
      double c = Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
      return new State(t, compensation + c, Math.addExact(count, 1));
    }

    OptionalDouble average() {
      return count == 0 ? OptionalDouble.empty() : OptionalDouble.of((sum + compensation) / count);
    }

    byte[] encode() {
      return (TYPE + " " + sum + " " + compensation + " " + count).getBytes(StandardCharsets.UTF_8);
    }
  }

  @Override
  public String toString() {
    return "Averager[" + name + "]";
  }
}
