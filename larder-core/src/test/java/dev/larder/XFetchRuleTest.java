package dev.larder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.Seeds;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The XFetch rule Larder applies, without the lease: one request per millisecond, a recomputation
 * taking {@code delta} = 100 ms, and every request arriving before the recomputed value is stored
 * deciding for itself. The expected number of recomputations per expiry is then e^(1/beta) (the
 * first trigger comes when the cumulative trigger rate reaches an Exp(1) draw X, and the requests
 * of the next delta add X (e^(1/beta) - 1) on average). Measured over 20,000 expiries it must be
 * within 15% of that. With the lease, {@link LoadingTest#xfetch_withTheLease_recomputesOncePerExpiry}
 * shows exactly one.
 */
class XFetchRuleTest {

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 1.0, 2.0})
  void withoutTheLease_recomputationsPerExpiry_areEToTheOneOverBeta(double beta) {
    SplittableRandom random = new SplittableRandom(Seeds.seed("xfetch-rule-" + beta));
    long delta = 100;
    // Triggers further than 25 delta*beta before expiry have probability below e^-25 each: start there.
    long ttl = (long) (25 * delta * beta);
    int expiries = 20_000;
    long recomputations = 0;
    for (int e = 0; e < expiries; e++) {
      long firstTrigger = -1;
      for (long remaining = ttl; remaining > 0; remaining--) {
        if (firstTrigger >= 0 && firstTrigger - remaining >= delta) {
          break; // the first recomputation has stored its value
        }
        if (Loading.xfetch(delta, beta, remaining, random)) {
          recomputations++;
          if (firstTrigger < 0) {
            firstTrigger = remaining;
          }
        }
      }
    }
    double perExpiry = (double) recomputations / expiries;
    double expected = Math.exp(1 / beta);
    System.out.printf("[xfetch] beta %.1f: %.3f recomputations per expiry, e^(1/beta) = %.3f%n", beta, perExpiry, expected);
    assertThat(perExpiry).isBetween(expected * 0.85, expected * 1.15);
  }
}
