package dev.larder;

import dev.larder.internal.Blobs;
import dev.larder.internal.Bytes;
import dev.larder.internal.Checker;
import dev.larder.internal.Counters;
import dev.larder.internal.Keys;
import dev.larder.internal.Record;
import dev.larder.internal.Settings;
import dev.larder.internal.Space;
import dev.larder.internal.State;
import dev.larder.internal.Store;
import dev.larder.internal.Store.Lookup;
import dev.larder.internal.WriteContext;
import dev.larder.stats.CacheStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The {@link Cache} over a {@link Store}: encodes keys and values with the codecs, and expresses
 * each operation as one read or write transaction of the store.
 */
class LarderCache<K, V> implements Cache<K, V> {
  private static final int SCAN_BATCH = 256;
  private static final Object RETRY = new Object();
  private static final Object NEEDS_FILE = new Object();

  final Store store;
  private final Codec<K> keys;
  private final Codec<V> values;
  private final InstantSource clock;
  final Space space;
  private volatile boolean closed;

  LarderCache(Store store, Codec<K> keys, Codec<V> values, InstantSource clock) {
    this(store, keys, values, clock, Space.ROOT);
  }

  LarderCache(Store store, Codec<K> keys, Codec<V> values, InstantSource clock, Space space) {
    this.store = store;
    this.keys = keys;
    this.values = values;
    this.clock = clock;
    this.space = space;
  }

  /** The full key of {@code inner} (see {@link #full}) in this view's space, as of {@code w}. */
  byte[] at(WriteContext w, byte[] inner) {
    return space.resolve(store, w.txn(), inner);
  }

  // ---- encoding -------------------------------------------------------------------------------------

  byte[] full(K key) {
    Objects.requireNonNull(key, "key");
    return Keys.full(keys.tag(), keys.encodeKey(key));
  }

  private K decodeKey(byte[] full) {
    int skip = space.prefixLength();
    return keys.decodeKey(full, skip + 1, full.length - skip - 1);
  }

  byte[] encode(V value) {
    Objects.requireNonNull(value, "value");
    return values.encode(value);
  }

  long now() {
    return clock.millis();
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("cache is closed: " + store.directory());
    }
  }

  static List<byte[]> tagBytes(Put options) {
    Set<String> tags = options.tags();
    if (tags.isEmpty()) {
      return List.of();
    }
    List<byte[]> out = new ArrayList<>(tags.size());
    for (String t : new TreeSet<>(tags)) {
      out.add(t.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Decodes a found value, reading and verifying its file if it has one, and closes the file. */
  V decode(Lookup l, byte[] full) {
    Record r = l.record();
    if (!r.isBlob()) {
      checkInline(r, full);
      return values.decode(r.bytes(), r.valueOffset(), (int) r.valueSize());
    }
    try (FileStoredValue v = new FileStoredValue(r, l.channel(), store.blobs().path(r.blobId()))) {
      byte[] bytes = v.readAllBytes();
      return values.decode(bytes, 0, bytes.length);
    }
  }

  private static void checkInline(Record r, byte[] full) {
    if (!r.inlineChecksumOk()) {
      throw new CorruptionException(null, r.valueOffset(), "the value of key " + Bytes.describe(full)
          + " fails its CRC32C checksum; check(true) removes it");
    }
  }

  Entry<K, V> entry(K key, Lookup l, byte[] full) {
    Record r = l.record();
    V value = decode(l, full);
    return new Entry<>(key, value, r.version(), Instant.ofEpochMilli(r.storedAt()),
        r.expiresAt() == 0 ? null : Instant.ofEpochMilli(r.expiresAt()), Set.copyOf(r.tags()), r.clientFlags());
  }

  // ---- reads ------------------------------------------------------------------------------------------

  @Override
  public V get(K key) {
    checkOpen();
    byte[] full = full(key);
    Lookup l = store.lookup(space, full, now(), true);
    if (l == null) {
      store.miss();
      return null;
    }
    store.hit();
    store.noteUse(full);
    return decode(l, full);
  }

  @Override
  public Entry<K, V> getEntry(K key) {
    checkOpen();
    byte[] full = full(key);
    Lookup l = store.lookup(space, full, now(), true);
    if (l == null) {
      store.miss();
      return null;
    }
    store.hit();
    store.noteUse(full);
    return entry(key, l, full);
  }

  @Override
  public V get(K key, Function<? super K, ? extends V> loader) {
    return get(key, Load.DEFAULT, loader);
  }

  @Override
  public V get(K key, Load options, Function<? super K, ? extends V> loader) {
    checkOpen();
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(loader, "loader");
    return new Loading<>(this).get(key, options, loader);
  }

  @Override
  public LoadLease<K, V> tryLease(K key, Duration timeout) {
    checkOpen();
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    byte[] inner = full(key);
    Object got = store.write(w -> dev.larder.internal.Leases.tryAcquire(w, at(w, inner), List.of(), timeout.toMillis()), now());
    return got instanceof dev.larder.internal.Leases.Lease lease ? new LeaseView<>(this, key, inner, lease) : null;
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> keysToRead) {
    checkOpen();
    List<K> ks = new ArrayList<>(keysToRead);
    List<byte[]> fulls = new ArrayList<>(ks.size());
    for (K k : ks) {
      fulls.add(full(k));
    }
    List<Lookup> found = store.lookupAll(space, fulls, now());
    Map<K, V> out = new LinkedHashMap<>();
    try {
      for (int i = 0; i < ks.size(); i++) {
        Lookup l = found.get(i);
        if (l == null) {
          store.miss();
        } else {
          store.hit();
          store.noteUse(fulls.get(i));
          found.set(i, null);
          out.put(ks.get(i), decode(l, fulls.get(i)));
        }
      }
    } finally {
      closeAll(found);
    }
    return out;
  }

  private static void closeAll(List<Lookup> found) {
    for (Lookup l : found) {
      if (l != null && l.channel() != null) {
        try {
          l.channel().close();
        } catch (IOException ignored) {
          // read-only channel
        }
      }
    }
  }

  @Override
  public boolean containsKey(K key) {
    checkOpen();
    return store.lookup(space, full(key), now(), false) != null;
  }

  @Override
  public StoredValue open(K key) {
    checkOpen();
    byte[] full = full(key);
    Lookup l = store.lookup(space, full, now(), true);
    if (l == null) {
      store.miss();
      return null;
    }
    store.hit();
    store.noteUse(full);
    Record r = l.record();
    if (r.isBlob()) {
      return new FileStoredValue(r, l.channel(), store.blobs().path(r.blobId()));
    }
    checkInline(r, full);
    return new InlineStoredValue(r);
  }

  // ---- writes -----------------------------------------------------------------------------------------

  enum Mode { PUT, ADD, REPLACE, CAS }

  /** Applies a put-like write inside a transaction; returns a Boolean or a CasResult. */
  Object apply(WriteContext w, byte[] inner, byte[] value, Blobs.Staged blob, Put options,
      Mode mode, long version) throws IOException {
    return apply(w, inner, value, blob, options, mode, version, 0);
  }

  /** Like the other {@code apply}, recording how long the value took to load (for XFetch). */
  Object apply(WriteContext w, byte[] inner, byte[] value, Blobs.Staged blob, Put options,
      Mode mode, long version, int loadMillis) throws IOException {
    byte[] full = at(w, inner);
    byte[] stored = Keys.stored(full);
    Record old = w.find(stored, full);
    boolean live = old != null && !old.isExpired(w.now());
    switch (mode) {
      case ADD:
        if (live) {
          return Boolean.FALSE;
        }
        break;
      case REPLACE:
        if (!live) {
          return Boolean.FALSE;
        }
        break;
      case CAS:
        if (!live) {
          return CasResult.NOT_FOUND;
        }
        if (old.version() != version) {
          return CasResult.EXISTS;
        }
        break;
      default:
        break;
    }
    Object success = mode == Mode.CAS ? CasResult.STORED : Boolean.TRUE;
    long expiresAt = options.expiresAtMillis(w.now());
    if (expiresAt != 0 && expiresAt <= w.now()) {
      // Already expired: storing it is removing whatever is there.
      if (old != null) {
        w.remove(stored, old, live ? State.DELETES : State.EXPIRATIONS);
      }
      return success;
    }
    Record.Builder b = Record.builder()
        .loadMillis(loadMillis)
        .valueTag(values.tag())
        .clientFlags(options.flags())
        .expiresAt(expiresAt)
        .tags(tagBytes(options));
    if (blob == null) {
      b.inline(value);
    }
    w.store(stored, full, old, b, blob);
    return success;
  }

  private Object writeValue(byte[] full, byte[] value, Put options, Mode mode, long version) {
    Objects.requireNonNull(options, "options");
    Settings settings = store.settings();
    Blobs.Staged blob = value.length >= settings.blobThreshold() ? store.blobs().stage(value) : null;
    try {
      return store.write(w -> apply(w, full, value, blob, options, mode, version), now());
    } finally {
      if (blob != null) {
        store.blobs().release(blob);
      }
    }
  }

  @Override
  public void put(K key, V value) {
    put(key, value, Put.DEFAULT);
  }

  @Override
  public void put(K key, V value, Duration ttl) {
    put(key, value, Put.ttl(ttl));
  }

  @Override
  public void put(K key, V value, Put options) {
    checkOpen();
    writeValue(full(key), encode(value), options, Mode.PUT, 0);
  }

  @Override
  public long putStream(K key, InputStream in, Put options) {
    checkOpen();
    byte[] full = full(key);
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(options, "options");
    Settings settings = store.settings();
    byte[] head;
    try {
      head = in.readNBytes(settings.blobThreshold());
    } catch (IOException e) {
      throw new StorageException("cannot read the stream for key " + Bytes.describe(full) + ": " + e, e, false);
    }
    if (head.length < settings.blobThreshold()) {
      writeValue(full, head, options, Mode.PUT, 0);
      return head.length;
    }
    Blobs.Staged blob = store.blobs().stage(in, head, head.length, settings.maxSize());
    try {
      store.write(w -> apply(w, full, null, blob, options, Mode.PUT, 0), now());
      return blob.size();
    } finally {
      store.blobs().release(blob);
    }
  }

  @Override
  public boolean add(K key, V value) {
    return add(key, value, Put.DEFAULT);
  }

  @Override
  public boolean add(K key, V value, Put options) {
    checkOpen();
    return (Boolean) writeValue(full(key), encode(value), options, Mode.ADD, 0);
  }

  @Override
  public boolean replace(K key, V value) {
    return replace(key, value, Put.DEFAULT);
  }

  @Override
  public boolean replace(K key, V value, Put options) {
    checkOpen();
    return (Boolean) writeValue(full(key), encode(value), options, Mode.REPLACE, 0);
  }

  @Override
  public CasResult cas(K key, long version, V value) {
    return cas(key, version, value, Put.DEFAULT);
  }

  @Override
  public CasResult cas(K key, long version, V value, Put options) {
    checkOpen();
    return (CasResult) writeValue(full(key), encode(value), options, Mode.CAS, version);
  }

  @Override
  public boolean append(K key, V suffix) {
    return concat(key, suffix, true);
  }

  @Override
  public boolean prepend(K key, V prefix) {
    return concat(key, prefix, false);
  }

  private boolean concat(K key, V part, boolean atEnd) {
    checkOpen();
    byte[] inner = full(key);
    byte[] bytes = encode(part);
    int threshold = store.settings().blobThreshold();
    Object r = store.write(w -> {
      byte[] full = at(w, inner);
      byte[] stored = Keys.stored(full);
      Record old = w.live(stored, full);
      if (old == null) {
        return Boolean.FALSE;
      }
      if (old.isBlob() || old.valueSize() + bytes.length >= threshold) {
        return NEEDS_FILE;
      }
      checkInline(old, full);
      byte[] v = old.inlineValue();
      byte[] merged = new byte[v.length + bytes.length];
      System.arraycopy(atEnd ? v : bytes, 0, merged, 0, atEnd ? v.length : bytes.length);
      System.arraycopy(atEnd ? bytes : v, 0, merged, atEnd ? v.length : bytes.length, atEnd ? bytes.length : v.length);
      w.store(stored, full, old, old.toBuilder().inline(merged), null);
      return Boolean.TRUE;
    }, now());
    if (r != NEEDS_FILE) {
      return (Boolean) r;
    }
    // The result is a file: build it outside the write lock from the current value, then store it
    // only if nobody wrote the key meanwhile (optimistic, like cas).
    while (true) {
      Lookup l = store.lookup(space, inner, now(), true);
      if (l == null) {
        return false;
      }
      StoredValue current = l.record().isBlob()
          ? new FileStoredValue(l.record(), l.channel(), store.blobs().path(l.record().blobId()))
          : new InlineStoredValue(l.record());
      Blobs.Staged blob;
      try (current) {
        InputStream in = atEnd
            ? new SequenceInputStream(current.inputStream(), new ByteArrayInputStream(bytes))
            : new SequenceInputStream(new ByteArrayInputStream(bytes), current.inputStream());
        blob = store.blobs().stage(in, new byte[0], 0, store.settings().maxSize());
      }
      long version = l.record().version();
      try {
        Object result = store.write(w -> {
          byte[] full = at(w, inner);
          byte[] stored = Keys.stored(full);
          Record cur = w.live(stored, full);
          if (cur == null) {
            return Boolean.FALSE;
          }
          if (cur.version() != version) {
            return RETRY;
          }
          w.store(stored, full, cur, cur.toBuilder(), blob);
          return Boolean.TRUE;
        }, now());
        if (result != RETRY) {
          return (Boolean) result;
        }
      } finally {
        store.blobs().release(blob);
      }
    }
  }

  /** Adds to a counter inside a transaction; null when it is missing and {@code create} is false. */
  Long incrIn(WriteContext w, byte[] full, long delta, boolean create) throws IOException {
    return addIn(w, full, delta, false, create);
  }

  /** Adds or subtracts {@code delta}; subtracting directly lets {@code decr(k, Long.MIN_VALUE)} work. */
  Long addIn(WriteContext w, byte[] inner, long delta, boolean subtract, boolean create) throws IOException {
    byte[] full = at(w, inner);
    byte[] stored = Keys.stored(full);
    Record old = w.live(stored, full);
    long base;
    Record.Builder b;
    if (old == null) {
      if (!create) {
        return null;
      }
      base = 0;
      b = Record.builder().valueTag(values.tag());
    } else {
      if (old.isBlob()) {
        throw new SerializationException("cannot increment or decrement key " + Bytes.describe(full)
            + ": its value of " + old.valueSize() + " bytes is not a decimal 64-bit integer");
      }
      checkInline(old, full);
      base = Counters.parse(old.bytes(), old.valueOffset(), (int) old.valueSize());
      b = old.toBuilder();
    }
    long next = subtract ? Math.subtractExact(base, delta) : Math.addExact(base, delta);
    w.store(stored, full, old, b.inline(Counters.format(next)), null);
    return next;
  }

  @Override
  public long incr(K key, long delta) {
    checkOpen();
    byte[] full = full(key);
    return store.write(w -> incrIn(w, full, delta, true), now());
  }

  @Override
  public OptionalLong incrIfPresent(K key, long delta) {
    checkOpen();
    byte[] full = full(key);
    Long v = store.write(w -> incrIn(w, full, delta, false), now());
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  @Override
  public long decr(K key, long delta) {
    checkOpen();
    byte[] full = full(key);
    return store.write(w -> addIn(w, full, delta, true, true), now());
  }


  static long checkTtl(Duration ttl) {
    return Put.ttl(ttl).expiresAtMillis(0);
  }

  @Override
  public boolean touch(K key, Duration ttl) {
    checkOpen();
    byte[] full = full(key);
    long ttlMillis = checkTtl(ttl);
    return store.write(w -> setExpiry(w, full, Math.addExact(w.now(), ttlMillis)), now());
  }

  @Override
  public boolean persist(K key) {
    checkOpen();
    byte[] full = full(key);
    return store.write(w -> setExpiry(w, full, 0), now());
  }

  boolean setExpiry(WriteContext w, byte[] inner, long expiresAt) {
    byte[] full = at(w, inner);
    byte[] stored = Keys.stored(full);
    Record old = w.live(stored, full);
    if (old == null) {
      return false;
    }
    w.rewriteExpiry(stored, old, expiresAt);
    return true;
  }

  /** Removes a key inside a transaction: true if it was live. A damaged record is removed too. */
  boolean deleteIn(WriteContext w, byte[] inner) {
    byte[] full = at(w, inner);
    byte[] stored = Keys.stored(full);
    w.dropLease(stored); // a load of this key in flight must not store its value afterwards
    Record old;
    try {
      old = w.find(stored, full);
    } catch (CorruptionException e) {
      w.removeDamaged(stored);
      return true;
    }
    if (old == null) {
      return false;
    }
    boolean live = !old.isExpired(w.now());
    w.remove(stored, old, live ? State.DELETES : State.EXPIRATIONS);
    return live;
  }

  @Override
  public boolean delete(K key) {
    checkOpen();
    byte[] full = full(key);
    return store.write(w -> deleteIn(w, full), now());
  }

  @Override
  public V pop(K key) {
    checkOpen();
    byte[] inner = full(key);
    Lookup l = store.write(w -> {
      byte[] full = at(w, inner);
      byte[] stored = Keys.stored(full);
      Record old = w.live(stored, full);
      if (old == null) {
        return null;
      }
      Lookup found;
      if (old.isBlob()) {
        // Opened before the commit that unlinks the file; readable through the channel after.
        found = new Lookup(old, store.blobs().open(old.blobId()));
      } else {
        checkInline(old, full);
        found = new Lookup(old, null);
      }
      w.remove(stored, old, State.DELETES);
      return found;
    }, now());
    if (l == null) {
      store.miss();
      return null;
    }
    store.hit();
    return decode(l, inner);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    putAll(entries, Put.DEFAULT);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries, Put options) {
    checkOpen();
    Objects.requireNonNull(options, "options");
    int threshold = store.settings().blobThreshold();
    List<byte[]> fulls = new ArrayList<>(entries.size());
    List<byte[]> encoded = new ArrayList<>(entries.size());
    for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
      fulls.add(full(e.getKey()));
      encoded.add(encode(e.getValue()));
    }
    List<Blobs.Staged> blobs = new ArrayList<>();
    try {
      for (byte[] v : encoded) {
        blobs.add(v.length >= threshold ? store.blobs().stage(v) : null);
      }
      store.write(w -> {
        for (int i = 0; i < fulls.size(); i++) {
          apply(w, fulls.get(i), encoded.get(i), blobs.get(i), options, Mode.PUT, 0);
        }
        return null;
      }, now());
    } finally {
      for (Blobs.Staged b : blobs) {
        if (b != null) {
          store.blobs().release(b);
        }
      }
    }
  }

  @Override
  public int deleteAll(Collection<? extends K> keysToDelete) {
    checkOpen();
    List<byte[]> fulls = new ArrayList<>(keysToDelete.size());
    for (K k : keysToDelete) {
      fulls.add(full(k));
    }
    return store.write(w -> {
      int n = 0;
      for (byte[] full : fulls) {
        if (deleteIn(w, full)) {
          n++;
        }
      }
      return n;
    }, now());
  }

  @Override
  public <R> R transact(Function<Transaction<K, V>, R> work) {
    checkOpen();
    Objects.requireNonNull(work, "work");
    return store.write(w -> {
      TransactionView<K, V> view = new TransactionView<>(this, w);
      try {
        return work.apply(view);
      } finally {
        view.done = true;
      }
    }, now());
  }

  // ---- the whole cache ----------------------------------------------------------------------------------

  @Override
  public Stream<K> keys() {
    checkOpen();
    return scan(new byte[] {(byte) keys.tag()});
  }

  @Override
  public Stream<K> keys(K prefix) {
    checkOpen();
    return scan(full(prefix));
  }

  @Override
  public Stream<K> keys(K prefix, K from) {
    checkOpen();
    return scan(full(prefix), full(from));
  }

  private Stream<K> scan(byte[] innerPrefix) {
    return scan(innerPrefix, null);
  }

  /** Keys that start with {@code innerPrefix}, from {@code innerFrom} (inclusive) on when it is not null. */
  private Stream<K> scan(byte[] innerPrefix, byte[] innerFrom) {
    byte[][] resolved = space.isRoot() ? new byte[][] {innerPrefix, innerFrom}
        : store.read(txn -> new byte[][] {space.resolve(store, txn, innerPrefix),
            innerFrom == null ? null : space.resolve(store, txn, innerFrom)});
    byte[] prefix = resolved[0];
    byte[] lowest = resolved[1];
    byte[] start = lowest != null && java.util.Arrays.compareUnsigned(lowest, prefix) > 0 ? lowest : prefix;
    Spliterator<K> split = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
        Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT) {
      // Long keys are stored under their first KEPT_PREFIX bytes; start there so none is skipped.
      private byte[] from = start.length > Keys.KEPT_PREFIX ? java.util.Arrays.copyOf(start, Keys.KEPT_PREFIX) : start;
      private List<byte[]> batch = List.of();
      private int index;

      @Override
      public boolean tryAdvance(Consumer<? super K> action) {
        while (true) {
          while (index >= batch.size()) {
            if (from == null) {
              return false;
            }
            checkOpen();
            Store.ScanBatch b = store.scan(from, prefix, SCAN_BATCH, now());
            batch = b.keys();
            index = 0;
            from = b.resumeFrom();
          }
          byte[] key = batch.get(index++);
          // Skips long keys that share their stored prefix with a long lower bound but sort before it.
          if (lowest == null || java.util.Arrays.compareUnsigned(key, lowest) >= 0) {
            action.accept(decodeKey(key));
            return true;
          }
        }
      }
    };
    return StreamSupport.stream(split, false);
  }

  @Override
  public long size() {
    checkOpen();
    return store.state()[State.COUNT];
  }

  @Override
  public long volume() {
    checkOpen();
    return store.state()[State.VOLUME];
  }

  @Override
  public void clear() {
    checkOpen();
    store.write(w -> {
      w.clearAll();
      return null;
    }, now());
  }

  @Override
  public long expire() {
    checkOpen();
    long total = 0;
    while (true) {
      int[] swept = store.write(w -> new int[] {w.sweepExpired(WriteContext.FULL_SWEEP), w.lastSweepExamined()}, now());
      total += swept[0];
      if (swept[1] < WriteContext.FULL_SWEEP) {
        return total;
      }
    }
  }

  @Override
  public CacheStats stats() {
    checkOpen();
    long[] s = store.state();
    return new CacheStats(s[State.COUNT], s[State.VOLUME], s[State.HITS] + store.unflushedHits(),
        s[State.MISSES] + store.unflushedMisses(), s[State.PUTS], s[State.DELETES], s[State.EVICTIONS],
        s[State.EVICTIONS_BY_COUNT], s[State.EXPIRATIONS], s[State.TAG_EVICTIONS], s[State.NAMESPACE_EVICTIONS],
        s[State.LOADS]);
  }

  @Override
  public List<Finding> check(boolean fix) {
    checkOpen();
    return new Checker(store).run(fix);
  }

  @Override
  public long evictTag(String tag) {
    checkOpen();
    Put.checkTag(tag);
    byte[] t = tag.getBytes(StandardCharsets.UTF_8);
    long total = 0;
    while (true) {
      int[] done = store.write(w -> w.evictTag(t, WriteContext.FULL_SWEEP), now());
      total += done[0];
      if (done[1] < WriteContext.FULL_SWEEP) {
        return total;
      }
    }
  }

  @Override
  public Namespace<K, V> namespace(String name) {
    checkOpen();
    Objects.requireNonNull(name, "name");
    return new NamespaceView<>(this, Space.namespace(name));
  }

  Store store() {
    return store;
  }

  Codec<K> keyCodec() {
    return keys;
  }

  Codec<V> valueCodec() {
    return values;
  }

  InstantSource clock() {
    return clock;
  }

  @Override
  public Path directory() {
    return store.directory();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    store.release();
  }

  @Override
  public String toString() {
    return "Cache[" + store.directory() + ", keys " + keys + ", values " + values + "]";
  }
}
