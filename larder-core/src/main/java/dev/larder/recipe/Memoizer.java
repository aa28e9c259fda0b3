package dev.larder.recipe;

import dev.larder.Cache;
import dev.larder.Load;
import dev.larder.Put;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A function whose results are cached in a Larder cache, so that every thread and process computes
 * each result once: {@code apply(arg)} is {@link Cache#get(Object, Load, Function)} under the key
 * {@link #key(Object)}, with its single flight across processes, fencing, refresh and XFetch.
 *
 * <pre>{@code
 * Memoizer<Long, String> profile = Memoizer.of(cache, "profile", this::renderProfile)
 *     .withTtl(Duration.ofMinutes(10))
 *     .withTags(id -> Set.of("user:" + id));
 * String html = profile.apply(13L);
 * cache.evictTag("user:13"); // the next apply(13L) computes again
 * }</pre>
 *
 * <p>The key is {@code name + "(" + argument + ")"}, the argument written by its {@code toString}
 * (records, strings, numbers and lists of them write the same text in every process) or by a
 * {@link #withKeyFunction key function} of your own. Immutable and thread-safe; the {@code with}
 * methods return new memoizers over the same cache. A {@code null} result is not cached.
 *
 * @param <A> the argument type
 * @param <R> the result type (the cache's value type)
 */
public final class Memoizer<A, R> implements Function<A, R> {
  private final Cache<String, R> cache;
  private final String name;
  private final Function<? super A, ? extends R> function;
  private final Function<? super A, String> keyFunction;
  private final Function<? super A, Set<String>> tags;
  private final Load load;

  private Memoizer(Cache<String, R> cache, String name, Function<? super A, ? extends R> function,
      Function<? super A, String> keyFunction, Function<? super A, Set<String>> tags, Load load) {
    this.cache = cache;
    this.name = name;
    this.function = function;
    this.keyFunction = keyFunction;
    this.tags = tags;
    this.load = load;
  }

  /**
   * Memoizes {@code function} in {@code cache} under keys starting with {@code name}: no expiry, no
   * tags, no refresh, until configured with the {@code with} methods.
   */
  public static <A, R> Memoizer<A, R> of(Cache<String, R> cache, String name, Function<? super A, ? extends R> function) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(function, "function");
    return new Memoizer<>(cache, name, function, String::valueOf, a -> Set.of(), Load.DEFAULT);
  }

  /** This memoizer with results expiring after {@code ttl}. */
  public Memoizer<A, R> withTtl(Duration ttl) {
    return new Memoizer<>(cache, name, function, keyFunction, tags, load.withPut(load.put().withTtl(ttl)));
  }

  /** This memoizer refreshing results older than {@code refreshAfter} in the background. */
  public Memoizer<A, R> withRefreshAfter(Duration refreshAfter) {
    return new Memoizer<>(cache, name, function, keyFunction, tags, load.withRefreshAfter(refreshAfter));
  }

  /** This memoizer with another XFetch beta (0 turns early recomputation off). */
  public Memoizer<A, R> withBeta(double beta) {
    return new Memoizer<>(cache, name, function, keyFunction, tags, load.withBeta(beta));
  }

  /** This memoizer tagging each result, so that {@link Cache#evictTag} drops a group of them. */
  public Memoizer<A, R> withTags(Function<? super A, Set<String>> tags) {
    return new Memoizer<>(cache, name, function, keyFunction, Objects.requireNonNull(tags, "tags"), load);
  }

  /** This memoizer writing the argument part of keys with {@code keyFunction}. */
  public Memoizer<A, R> withKeyFunction(Function<? super A, String> keyFunction) {
    return new Memoizer<>(cache, name, function, Objects.requireNonNull(keyFunction, "keyFunction"), tags, load);
  }

  /** The cache key of {@code argument}. */
  public String key(A argument) {
    return name + "(" + keyFunction.apply(argument) + ")";
  }

  /** The cached result for {@code argument}, computed once across threads and processes on a miss. */
  @Override
  public R apply(A argument) {
    Put put = load.put().withTags(tags.apply(argument));
    return cache.get(key(argument), load.withPut(put), k -> function.apply(argument));
  }

  /** Forgets the cached result for {@code argument}; the next {@link #apply} computes it again. */
  public boolean invalidate(A argument) {
    return cache.delete(key(argument));
  }
}
