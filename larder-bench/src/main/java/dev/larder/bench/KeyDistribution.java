package dev.larder.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How benchmark operations pick keys. {@link #indexes} precomputes a long array of key indexes so
 * that drawing a key during measurement is one array read, whatever the distribution.
 */
public enum KeyDistribution {
  /** Every key equally likely. */
  UNIFORM {
    @Override
    int[] draw(int keys, int count, SplittableRandom random) {
      int[] out = new int[count];
      for (int i = 0; i < count; i++) {
        out[i] = random.nextInt(keys);
      }
      return out;
    }
  },

  /**
   * Zipf with exponent 0.99 (YCSB's default skew): the key of rank r is drawn with probability
   * proportional to 1 / r^0.99. Ranks are scattered over the key space by a random permutation, so
   * the hot keys are not neighbours in the store's key order ("scrambled Zipfian").
   */
  ZIPF {
    @Override
    int[] draw(int keys, int count, SplittableRandom random) {
      double[] cdf = new double[keys];
      double sum = 0;
      for (int r = 0; r < keys; r++) {
        sum += 1.0 / Math.pow(r + 1, EXPONENT);
        cdf[r] = sum;
      }
      int[] permutation = new int[keys];
      for (int i = 0; i < keys; i++) {
        permutation[i] = i;
      }
      for (int i = keys - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = permutation[i];
        permutation[i] = permutation[j];
        permutation[j] = t;
      }
      int[] out = new int[count];
      for (int i = 0; i < count; i++) {
        int rank = Arrays.binarySearch(cdf, random.nextDouble() * sum);
        out[i] = permutation[Math.min(keys - 1, rank < 0 ? -rank - 1 : rank)];
      }
      return out;
    }
  };

  /** The Zipf exponent. */
  public static final double EXPONENT = 0.99;

  /** The length of the precomputed arrays: a power of two, so a thread can wrap with a mask. */
  public static final int SAMPLES = 1 << 20;

  /**
   * Returns {@value #SAMPLES} key indexes in {@code [0, keys)} drawn from this distribution.
   *
   * @throws IllegalArgumentException if {@code keys} is not positive
   */
  public int[] indexes(int keys, SplittableRandom random) {
    if (keys <= 0) {
      throw new IllegalArgumentException("keys must be positive, was " + keys);
    }
    return draw(keys, SAMPLES, random);
  }

  abstract int[] draw(int keys, int count, SplittableRandom random);
}
