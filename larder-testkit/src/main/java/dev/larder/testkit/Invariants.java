package dev.larder.testkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs registered invariant checks after every test and fails the test if any finds something,
 * in the manner of Caffeine's {@code CacheValidationInterceptor}. A check returns the problems it
 * found; an empty collection passes.
 *
 * <pre>{@code
 * @RegisterExtension final Invariants invariants = new Invariants();
 * ...
 * invariants.register("cache", () -> cache.check(false));
 * }</pre>
 *
 * Checks run in registration order right after the test method, before {@code @AfterEach}
 * methods close what the test opened.
 */
public final class Invariants implements AfterTestExecutionCallback {
  private final Map<String, Supplier<? extends Collection<?>>> checks = new LinkedHashMap<>();

  /** Registers a check under a name; a later registration with the same name replaces it. */
  public void register(String name, Supplier<? extends Collection<?>> check) {
    checks.put(name, check);
  }

  /** Runs the checks now and returns the problems, without failing. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Supplier<? extends Collection<?>>> e : checks.entrySet()) {
      Collection<?> found = e.getValue().get();
      for (Object f : found) {
        out.add(e.getKey() + ": " + f);
      }
    }
    return out;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    try {
      if (context.getExecutionException().isPresent()) {
        return; // the test failed already; its own failure is the news
      }
      List<String> problems = problems();
      if (!problems.isEmpty()) {
        throw new AssertionError("invariants violated after " + context.getDisplayName() + ":\n  "
            + String.join("\n  ", problems));
      }
    } finally {
      checks.clear();
    }
  }
}
