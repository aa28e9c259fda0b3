package dev.larder.model;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.larder.CasResult;
import dev.larder.SerializationException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongUnaryOperator;

/**
 * The reference model of a cache: a map from key to {@link ModelEntry}, judged at the time the
 * caller passes in (the same manual clock the cache uses). Written from the {@code Cache}
 * javadoc, as plainly as possible, and exact: every method says what the cache must return and
 * leaves the model as the cache must be after.
 *
 * <p>Expired entries stay in the map, invisible, until {@link #expire} or {@link #clear} removes
 * them or a write replaces or deletes them, because the cache may keep them that long too; the
 * map is therefore an upper bound on what the cache holds, and exact after {@code expire()}.
 */
final class Model {
  /** The version of an entry written but not yet read back. */
  static final long UNKNOWN = -1;

  private final Map<String, ModelEntry> entries;
  /** The highest version read back so far: every later write must get a higher one. */
  private long maxVersion;

  Model() {
    this(new HashMap<>(), 0);
  }

  private Model(Map<String, ModelEntry> entries, long maxVersion) {
    this.entries = entries;
    this.maxVersion = maxVersion;
  }

  Model copy() {
    return new Model(new HashMap<>(entries), maxVersion);
  }

  // ---- reads -----------------------------------------------------------------------------------

  /** The live entry, or null. */
  ModelEntry live(String key, long now) {
    ModelEntry e = entries.get(key);
    return e != null && !e.expiredAt(now) ? e : null;
  }

  /** The entry, live or expired, or null. */
  ModelEntry stored(String key) {
    return entries.get(key);
  }

  byte[] get(String key, long now) {
    ModelEntry e = live(key, now);
    return e == null ? null : e.value();
  }

  Map<String, byte[]> getAll(Collection<String> keys, long now) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String k : keys) {
      ModelEntry e = live(k, now);
      if (e != null) {
        out.put(k, e.value());
      }
    }
    return out;
  }

  /** Live keys that start with {@code prefix} (all if null), in UTF-8 byte order. */
  List<String> keys(String prefix, long now) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, ModelEntry> e : entries.entrySet()) {
      if (!e.getValue().expiredAt(now) && (prefix == null || e.getKey().startsWith(prefix))) {
        out.add(e.getKey());
      }
    }
    out.sort(Keyspace.UTF8_ORDER);
    return out;
  }

  /** Every entry held, live or expired. */
  int held() {
    return entries.size();
  }

  int expiredCount(long now) {
    return (int) entries.values().stream().filter(e -> e.expiredAt(now)).count();
  }

  /** The distinct expiry times still ahead of {@code now}, ascending. */
  List<Long> futureExpiries(long now) {
    return entries.values().stream()
        .map(ModelEntry::expiresAt)
        .filter(t -> t > now)
        .distinct()
        .sorted()
        .toList();
  }

  Set<String> keysWithUnknownVersion() {
    Set<String> out = new TreeSet<>();
    entries.forEach((k, e) -> {
      if (e.version() == UNKNOWN) {
        out.add(k);
      }
    });
    return out;
  }

  long maxVersion() {
    return maxVersion;
  }

  /** Records the version read back for a key. */
  void learnVersion(String key, long version) {
    entries.computeIfPresent(key, (k, e) -> e.withVersion(version));
    maxVersion = Math.max(maxVersion, version);
  }

  // ---- writes ----------------------------------------------------------------------------------

  /** A put: stores, or removes the entry when the options put its expiry at or before now. */
  void put(String key, byte[] value, Opts opts, long now) {
    long expiresAt = opts.expiresAt(now);
    if (expiresAt != 0 && expiresAt <= now) {
      entries.remove(key);
      return;
    }
    entries.put(key, new ModelEntry(value, expiresAt, opts.tagSet(), opts.flags(), UNKNOWN, now));
  }

  boolean add(String key, byte[] value, Opts opts, long now) {
    if (live(key, now) != null) {
      return false;
    }
    put(key, value, opts, now);
    return true;
  }

  boolean replace(String key, byte[] value, Opts opts, long now) {
    if (live(key, now) == null) {
      return false;
    }
    put(key, value, opts, now);
    return true;
  }

  CasResult cas(String key, long version, byte[] value, Opts opts, long now) {
    ModelEntry e = live(key, now);
    if (e == null) {
      return CasResult.NOT_FOUND;
    }
    if (e.version() != version) {
      return CasResult.EXISTS;
    }
    put(key, value, opts, now);
    return CasResult.STORED;
  }

  /** Removes the entry, live or expired; true if it was live. */
  boolean delete(String key, long now) {
    boolean wasLive = live(key, now) != null;
    entries.remove(key);
    return wasLive;
  }

  byte[] pop(String key, long now) {
    ModelEntry e = live(key, now);
    if (e == null) {
      return null;
    }
    entries.remove(key);
    return e.value();
  }

  boolean touch(String key, long ttlMillis, long now) {
    ModelEntry e = live(key, now);
    if (e == null) {
      return false;
    }
    entries.put(key, e.withExpiresAt(now + Math.max(1, ttlMillis)));
    return true;
  }

  boolean persist(String key, long now) {
    ModelEntry e = live(key, now);
    if (e == null) {
      return false;
    }
    entries.put(key, e.withExpiresAt(0));
    return true;
  }

  /** Adds {@code delta} to a counter; see {@link #count}. */
  OptionalLong incr(String key, long delta, boolean create, long now) {
    return count(key, base -> Math.addExact(base, delta), create, now);
  }

  /** Subtracts {@code delta} from a counter, exactly: throws only if the result overflows. */
  OptionalLong decr(String key, long delta, long now) {
    return count(key, base -> Math.subtractExact(base, delta), true, now);
  }

  /**
   * Steps a counter. A missing or expired counter starts from 0 with no expiry (unless {@code
   * create} is false: then it stays missing and the result is empty); a live one keeps expiry,
   * tags and flags. Throws, changing nothing, when the value is not a decimal 64-bit integer
   * ({@link SerializationException}) or the result overflows ({@link ArithmeticException}).
   */
  OptionalLong count(String key, LongUnaryOperator step, boolean create, long now) {
    ModelEntry e = live(key, now);
    long base = 0;
    if (e == null && !create) {
      return OptionalLong.empty();
    }
    if (e != null) {
      Long parsed = parseCounter(e.value());
      if (parsed == null) {
        throw new SerializationException("model: not a counter");
      }
      base = parsed;
    }
    long next = step.applyAsLong(base);
    byte[] text = Long.toString(next).getBytes(US_ASCII);
    entries.put(key, e == null
        ? new ModelEntry(text, 0, Set.of(), 0, UNKNOWN, now)
        : e.rewritten(text, now));
    return OptionalLong.of(next);
  }

  /** Appends or prepends to a live value, keeping expiry, tags and flags. */
  boolean concat(String key, byte[] part, boolean atEnd, long now) {
    ModelEntry e = live(key, now);
    if (e == null) {
      return false;
    }
    byte[] old = e.value();
    byte[] merged = new byte[old.length + part.length];
    System.arraycopy(atEnd ? old : part, 0, merged, 0, atEnd ? old.length : part.length);
    System.arraycopy(atEnd ? part : old, 0, merged, atEnd ? old.length : part.length, atEnd ? part.length : old.length);
    entries.put(key, e.rewritten(merged, now));
    return true;
  }

  /** Removes every expired entry; returns how many the model held. */
  int expire(long now) {
    int n = expiredCount(now);
    entries.values().removeIf(e -> e.expiredAt(now));
    return n;
  }

  void clear() {
    entries.clear();
  }

  /** Takes over the state of {@code other}: a committed transaction. */
  void restore(Model other) {
    entries.clear();
    entries.putAll(other.entries);
    maxVersion = other.maxVersion;
  }

  /**
   * A counter's value: decimal ASCII with an optional minus sign, at most 20 characters, within a
   * long; surrounding spaces (and trailing CR LF) are tolerated, as memcached pads counters.
   * Returns null for anything else.
   */
  static Long parseCounter(byte[] b) {
    int start = 0;
    int end = b.length;
    while (start < end && b[start] == ' ') {
      start++;
    }
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\r' || b[end - 1] == '\n')) {
      end--;
    }
    String s = new String(b, start, end - start, US_ASCII);
    if (s.length() > 20 || !s.matches("-?[0-9]+")) {
      return null;
    }
    BigInteger v = new BigInteger(s);
    return v.bitLength() < 64 ? v.longValue() : null;
  }
}
