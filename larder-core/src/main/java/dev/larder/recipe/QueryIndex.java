package dev.larder.recipe;

import dev.larder.Cache;
import dev.larder.CasResult;
import dev.larder.Codec;
import dev.larder.Entry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A cached query index, "add eagerly, remove lazily": for each value of a criterion (a category,
 * a status, an owner), a node holding the ids of the entities that have it, without ever having
 * to know an entity's old value.
 *
 * <ul>
 *   <li>When an entity is written with criterion value {@code c}, call {@link #add(Object, Object)
 *       add(c, id)}: the id is appended to {@code c}'s node (eager). Nothing is removed from the node
 *       of its old value, which the writer may not know.
 *   <li>{@link #get(Object) get(c)} reads {@code c}'s node and asks {@code currentCriterion} (the
 *       source of truth: a database, or the cached entity) for each member's current value;
 *       members that no longer match are dropped from the answer and from the node (lazy), which is
 *       written back only if nobody added to it meanwhile (a compare-and-set on its version).
 * </ul>
 *
 * So an answer never holds an id whose current value, as {@code currentCriterion} told it during
 * the call, differs; and an id added before the call began is never missed. A node grows only by
 * ids added since its last read and shrinks at every read. Nodes are plain cache entries under
 * {@code name + ":" + criterionKey(c)}: keep them in a cache that does not evict them (policy
 * {@code NONE}), or accept that an evicted node loses its ids until they are added again.
 *
 * <p>Thread-safe and process-safe: {@code add} is one transaction; concurrent {@code get}s only
 * ever drop ids their own check found stale.
 *
 * @param <C> the criterion's type
 * @param <I> the id's type
 */
public final class QueryIndex<C, I> {
  private final Cache<String, byte[]> cache;
  private final String name;
  private final Codec<I> ids;
  private final Function<? super C, String> criterionKey;
  private final Function<? super I, ? extends C> currentCriterion;

  private QueryIndex(Cache<String, byte[]> cache, String name, Codec<I> ids, Function<? super C, String> criterionKey,
      Function<? super I, ? extends C> currentCriterion) {
    this.cache = cache;
    this.name = name;
    this.ids = ids;
    this.criterionKey = criterionKey;
    this.currentCriterion = currentCriterion;
  }

  /**
   * An index named {@code name} in {@code cache}.
   *
   * @param ids how ids are written in nodes
   * @param criterionKey the key text of a criterion value (for records and strings, {@code
   *     String::valueOf})
   * @param currentCriterion the current criterion value of an entity, or null if it is gone
   */
  public static <C, I> QueryIndex<C, I> of(Cache<String, byte[]> cache, String name, Codec<I> ids,
      Function<? super C, String> criterionKey, Function<? super I, ? extends C> currentCriterion) {
    return new QueryIndex<>(Objects.requireNonNull(cache, "cache"), Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(ids, "ids"), Objects.requireNonNull(criterionKey, "criterionKey"),
        Objects.requireNonNull(currentCriterion, "currentCriterion"));
  }

  private String node(C criterion) {
    return name + ":" + criterionKey.apply(criterion);
  }

  /** Adds {@code id} to the node of {@code criterion}, once. Call after the entity was written. */
  public void add(C criterion, I id) {
    String key = node(criterion);
    byte[] encoded = ids.encode(id);
    cache.transact(tx -> {
      byte[] node = tx.get(key);
      List<byte[]> members = decode(node);
      boolean present = false;
      for (byte[] m : members) {
        if (java.util.Arrays.equals(m, encoded)) {
          present = true;
          break;
        }
      }
      if (!present) {
        members.add(encoded);
      }
      // Written even when the id is already there: the write changes the node's version, so a
      // get() that found this id stale before the entity moved back cannot write back a node
      // without it (its compare-and-set fails). Returning without a write lost such ids; found
      // by QueryIndexTest under load.
      tx.put(key, present ? node : encode(members));
      return null;
    });
  }

  /**
   * The ids whose current criterion value is {@code criterion}, in the order they were added. Calls
   * {@code currentCriterion} once per member of the node, outside any transaction.
   */
  public List<I> get(C criterion) {
    String key = node(criterion);
    Entry<String, byte[]> entry = cache.getEntry(key);
    if (entry == null) {
      return List.of();
    }
    List<byte[]> members = decode(entry.value());
    List<byte[]> kept = new ArrayList<>(members.size());
    List<I> out = new ArrayList<>(members.size());
    for (byte[] m : members) {
      I id = ids.decode(m, 0, m.length);
      if (criterion.equals(currentCriterion.apply(id))) {
        kept.add(m);
        out.add(id);
      }
    }
    if (kept.size() < members.size()) {
      // Written back only if the node did not change meanwhile; otherwise the next read cleans it.
      CasResult ignored = cache.cas(key, entry.version(), encode(kept));
    }
    return out;
  }

  /** The number of ids in the node of {@code criterion}, stale ones included (for monitoring). */
  public int nodeSize(C criterion) {
    return decode(cache.get(node(criterion))).size();
  }

  private static List<byte[]> decode(byte[] node) {
    List<byte[]> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(node);
    while (b.remaining() >= 4) {
      byte[] m = new byte[b.getInt()];
      b.get(m);
      out.add(m);
    }
    return out;
  }

  private static byte[] encode(List<byte[]> members) {
    int size = 0;
    for (byte[] m : members) {
      size += 4 + m.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    for (byte[] m : members) {
      b.putInt(m.length).put(m);
    }
    return b.array();
  }

}
