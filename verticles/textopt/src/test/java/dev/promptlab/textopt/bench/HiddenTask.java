package dev.promptlab.textopt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One simulated run's task: an extraction dataset whose rows are each exposed to a {@link FailureMode}, and the
 * hidden rule by which a prompt's sentences make the task model right or wrong on a row.
 *
 * <p>The rule: a row's chance of an exact match is σ(b + general + guard[mode] - difficulty), where the guard against
 * a mode is the saturating sum 2.5 tanh(Σ effects / 2.5) of the sentences' effects on it (a second date rule adds
 * little to a first), each sentence's effects scaled by a factor drawn per run (the same wording does not help every
 * dataset alike), with two interactions: reasoning without an instruction to give the bare value leaks into the
 * answer (-1.2 on the verbose mode), and every sentence beyond seven costs 0.08 on every row. Whether an answer is
 * right is a draw against that chance, mostly the row's own and partly the prompt's ({@link #ROW_SHARE}), fixed per
 * (prompt, row) as a response cache would keep it, so re-evaluating a prompt gives the same score.
 */
final class HiddenTask {

  private static final double BASE = 1.3;
  private static final double GUARD_CAP = 2.5;
  private static final double DIFFICULTY_SD = 0.7;
  private static final double EFFECT_SPREAD = 0.25;
  private static final double LEAK = 1.2;
  private static final int FREE_SENTENCES = 7;
  private static final double LENGTH_COST = 0.08;
  private static final double[] MODE_SHARES = {0.3, 0.2, 0.15, 0.2, 0.15};
  private static final int POPULATION = 2000;
  /**
   * How much of whether a row is answered right is the row's own (the same under every prompt) rather than the
   * prompt's: two similar prompts get most rows alike, as a real model's answers do, so the gain measured on 60 rows
   * is far less noisy than two independent draws would make it.
   */
  private static final double ROW_SHARE = 0.9;

  record Row(FailureMode mode, double difficulty, FailureMode.Texts texts) {
  }

  private final long seed;
  private final double[] modeShares;
  private final List<Row> heldOut;
  private final List<Row> population;
  /** Per held-out row, the part of the model's draw every prompt shares. */
  private final double[] rowDraws;

  HiddenTask(long seed, int heldOutRows) {
    this.seed = seed;
    Random random = new Random(seed);
    double[] shares = new double[MODE_SHARES.length];
    double sum = 0;
    for (int m = 0; m < shares.length; m++) {
      shares[m] = MODE_SHARES[m] * Math.exp(0.5 * random.nextGaussian());
      sum += shares[m];
    }
    for (int m = 0; m < shares.length; m++) {
      shares[m] /= sum;
    }
    this.modeShares = shares;
    this.heldOut = rows(heldOutRows, random);
    this.population = rows(POPULATION, random);
    this.rowDraws = new double[heldOutRows];
    for (int i = 0; i < heldOutRows; i++) {
      rowDraws[i] = random.nextGaussian();
    }
  }

  private List<Row> rows(int n, Random random) {
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double u = random.nextDouble();
      int m = 0;
      while (m < modeShares.length - 1 && u > modeShares[m]) {
        u -= modeShares[m];
        m++;
      }
      FailureMode mode = FailureMode.values()[m];
      rows.add(new Row(mode, DIFFICULTY_SD * random.nextGaussian(), mode.texts(random)));
    }
    return rows;
  }

  List<Row> heldOut() {
    return heldOut;
  }

  /** Whether the task model's answer to each held-out row is right under the prompt (fixed per prompt and row). */
  boolean[] answers(SimPrompt prompt) {
    double[] logits = logits(prompt);
    long promptHash = prompt.key().hashCode();
    boolean[] right = new boolean[heldOut.size()];
    for (int i = 0; i < right.length; i++) {
      Row row = heldOut.get(i);
      double p = sigmoid(logits[row.mode().ordinal()] - row.difficulty());
      double draw = ROW_SHARE * rowDraws[i]
        + Math.sqrt(1 - ROW_SHARE * ROW_SHARE) * new Random(mix(seed, promptHash, i)).nextGaussian();
      right[i] = normalCdf(draw) < p;
    }
    return right;
  }

  /** The prompt's expected exact match on the whole population of the task (not only the held-out rows). */
  double quality(SimPrompt prompt) {
    double[] logits = logits(prompt);
    double sum = 0;
    for (Row row : population) {
      sum += sigmoid(logits[row.mode().ordinal()] - row.difficulty());
    }
    return sum / population.size();
  }

  /** Per failure mode, the logit before the row's difficulty. */
  private double[] logits(SimPrompt prompt) {
    int modes = FailureMode.values().length;
    double[] sums = new double[modes];
    double general = BASE;
    boolean reasoning = false;
    boolean answerOnly = false;
    int counted = 0;
    for (Sentence s : prompt.sentences()) {
      double factor = 1 + EFFECT_SPREAD * new Random(mix(seed, s.text().hashCode(), -1)).nextGaussian();
      general += factor * s.general();
      for (int m = 0; m < modes; m++) {
        sums[m] += factor * s.effects()[m];
      }
      reasoning |= s.reasoning();
      answerOnly |= s.answerOnly();
      counted += s.core() ? 0 : 1;
    }
    if (reasoning && !answerOnly) {
      sums[FailureMode.VERBOSE.ordinal()] -= LEAK;
    }
    general -= LENGTH_COST * Math.max(0, counted - FREE_SENTENCES);
    double[] logits = new double[modes];
    for (int m = 0; m < modes; m++) {
      logits[m] = general + GUARD_CAP * Math.tanh(sums[m] / GUARD_CAP);
    }
    return logits;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** A 64-bit mix (SplitMix64's finaliser) of three numbers. */
  static long mix(long a, long b, long c) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L + c;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Φ(z) by the Zelen and Severo approximation (error under 7.5e-8), enough for a simulated draw. */
  private static double normalCdf(double z) {
    double t = 1 / (1 + 0.2316419 * Math.abs(z));
    double tail = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) * t * (0.319381530 + t * (-0.356563782
      + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    return z >= 0 ? 1 - tail : tail;
  }
}
