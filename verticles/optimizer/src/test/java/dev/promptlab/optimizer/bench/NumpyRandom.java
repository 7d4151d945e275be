package dev.promptlab.optimizer.bench;

/**
 * numpy's {@code np.random.default_rng(seed)} (SeedSequence + PCG64) for the calls the reference's
 * random search makes: {@code random()} and {@code integers(0, k)}. With it the random-search rows of
 * this benchmark evaluate exactly the points the reference's random search evaluates, so the baseline
 * is the reference's own rather than one picked here.
 */
final class NumpyRandom {

  private static final int INIT_A = 0x43b0d7e5;
  private static final int MULT_A = 0x931e8875;
  private static final int INIT_B = 0x8b51f9dd;
  private static final int MULT_B = 0x58f38ded;
  private static final int MIX_MULT_L = 0xca01f9dd;
  private static final int MIX_MULT_R = 0x4973f715;
  private static final long MULTIPLIER_HIGH = 2549297995355413924L;
  private static final long MULTIPLIER_LOW = 4865540595714422341L;

  private long stateHigh;
  private long stateLow;
  private final long incHigh;
  private final long incLow;
  private boolean hasUint32;
  private int bufferedUint32;

  /** {@code default_rng(seed)} for a non-negative seed below 2^32. */
  NumpyRandom(long seed) {
    if (seed < 0 || seed > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("seed must fit in 32 bits");
    }
    int[] pool = seedSequencePool((int) seed);
    int[] words = generateState(pool, 8);
    long[] v = new long[4];
    for (int i = 0; i < 4; i++) {
      v[i] = (words[2 * i] & 0xFFFFFFFFL) | ((long) words[2 * i + 1] << 32);
    }
    // pcg64_set_seed: state = (v0 << 64 | v1), inc = ((v2 << 64 | v3) << 1) | 1; srandom steps twice.
    incHigh = (v[2] << 1) | (v[3] >>> 63);
    incLow = (v[3] << 1) | 1L;
    stateHigh = 0;
    stateLow = 0;
    step();
    long low = stateLow + v[1];
    long carry = Long.compareUnsigned(low, stateLow) < 0 ? 1 : 0;
    stateHigh = stateHigh + v[0] + carry;
    stateLow = low;
    step();
  }

  private static int hashmix(int value, int[] hashConst) {
    value ^= hashConst[0];
    hashConst[0] *= MULT_A;
    value *= hashConst[0];
    value ^= value >>> 16;
    return value;
  }

  private static int mix(int x, int y) {
    int result = MIX_MULT_L * x - MIX_MULT_R * y;
    result ^= result >>> 16;
    return result;
  }

  private static int[] seedSequencePool(int seed) {
    int[] entropy = {seed};
    int[] pool = new int[4];
    int[] hashConst = {INIT_A};
    for (int i = 0; i < pool.length; i++) {
      pool[i] = hashmix(i < entropy.length ? entropy[i] : 0, hashConst);
    }
    for (int src = 0; src < pool.length; src++) {
      for (int dst = 0; dst < pool.length; dst++) {
        if (src != dst) {
          pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst));
        }
      }
    }
    return pool;
  }

  private static int[] generateState(int[] pool, int words) {
    int hashConst = INIT_B;
    int[] state = new int[words];
    for (int i = 0; i < words; i++) {
      int value = pool[i % pool.length];
      value ^= hashConst;
      hashConst *= MULT_B;
      value *= hashConst;
      value ^= value >>> 16;
      state[i] = value;
    }
    return state;
  }

  /** state = state * multiplier + inc (mod 2^128). */
  private void step() {
    long low = stateLow * MULTIPLIER_LOW;
    long high = unsignedMultiplyHigh(stateLow, MULTIPLIER_LOW) + stateHigh * MULTIPLIER_LOW
      + stateLow * MULTIPLIER_HIGH;
    long sumLow = low + incLow;
    long carry = Long.compareUnsigned(sumLow, low) < 0 ? 1 : 0;
    stateHigh = high + incHigh + carry;
    stateLow = sumLow;
  }

  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  long nextLong() {
    step();
    return Long.rotateRight(stateHigh ^ stateLow, (int) (stateHigh >>> 58));
  }

  private int nextInt() {
    if (hasUint32) {
      hasUint32 = false;
      return bufferedUint32;
    }
    long next = nextLong();
    hasUint32 = true;
    bufferedUint32 = (int) (next >>> 32);
    return (int) next;
  }

  /** {@code rng.random()}. */
  double nextDouble() {
    return (nextLong() >>> 11) * (1.0 / 9007199254740992.0);
  }

  /** {@code rng.integers(0, bound)} for a small bound (Lemire's bounded method on 32-bit draws). */
  int nextInt(int bound) {
    long range = bound - 1L;
    if (range == 0) {
      return 0;
    }
    long exclusive = range + 1;
    long m = (nextInt() & 0xFFFFFFFFL) * exclusive;
    long leftover = m & 0xFFFFFFFFL;
    if (leftover < exclusive) {
      long threshold = (0xFFFFFFFFL - range) % exclusive;
      while (leftover < threshold) {
        m = (nextInt() & 0xFFFFFFFFL) * exclusive;
        leftover = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }
}
