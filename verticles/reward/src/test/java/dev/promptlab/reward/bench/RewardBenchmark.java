package dev.promptlab.reward.bench;

import dev.promptlab.reward.embedding.OnnxImageEncoder;
import dev.promptlab.testkit.TinyOnnxModel;
import dev.promptlab.reward.features.FeatureExtractor;
import dev.promptlab.reward.features.FeatureVector;
import dev.promptlab.reward.features.StructureComparison;
import dev.promptlab.reward.model.ActivationRule;
import dev.promptlab.reward.model.HeldOutMetrics;
import dev.promptlab.reward.model.RatedVariant;
import dev.promptlab.reward.model.RewardModel;
import dev.promptlab.reward.model.RewardTrainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The reward model's benchmark (not a test): procedural interior renders, each enhanced twice along known axes
 * ({@link Degradations}), rated by simulated trainers through a hidden function of those axes with a per-trainer
 * bias, Likert noise and rounding to whole stars. The model sees only the images (features of the variant, of its
 * original, and the structure kept) and the generation settings. Reports held-out figures beside the
 * mean-predicting baseline, chance, and an oracle that knows the hidden function (the best any model can do
 * against noisy whole-star ratings), then the speed of features, prediction and training.
 *
 * <pre>mvn -B -ntp -q -pl verticles/reward -am -Pbench verify -DskipTests [-Dbench.args="--pairs 1000 --noise 0.35"]</pre>
 *
 * <p>{@code --onnx PATH} adds the embedding of an ONNX image encoder (a CLIP visual tower, say) and reports the
 * model with and without it; {@code --onnx tiny} uses the tests' channel-mean encoder, which exercises the path
 * but carries no more than the mean colour.
 */
public final class RewardBenchmark {

  private RewardBenchmark() {
  }

  public static void main(String[] args) throws IOException {
    int pairs = intArg(args, "--pairs", 600);
    double noise = doubleArg(args, "--noise", 0.35);
    int width = intArg(args, "--width", 640);
    long seed = intArg(args, "--seed", 1);
    String onnx = stringArg(args, "--onnx", null);
    Random random = new Random(seed);
    FeatureExtractor extractor = new FeatureExtractor();
    StructureComparison comparison = new StructureComparison();
    Path benchDir = Path.of(System.getProperty("bench.cache", "target/bench"));
    OnnxImageEncoder encoder = onnx == null ? null : encoder(onnx, benchDir);
    String encoderTag = encoder == null ? "" : "-" + Integer.toHexString(encoder.description().hashCode());
    Path cache = benchDir.resolve(String.format(Locale.ROOT, "rated-%d-%d-%.2f-%d-v%d%s.bin", pairs, width, noise,
      seed, FeatureExtractor.VERSION, encoderTag));
    BenchmarkData data;
    if (Files.isRegularFile(cache)) {
      data = BenchmarkData.load(cache);
      System.out.printf(Locale.ROOT, "%d rated variants read from %s%n", data.rows().size(), cache);
    } else {
      long started = System.nanoTime();
      data = generate(pairs, noise, width, random, extractor, comparison, encoder);
      data.save(cache);
      System.out.printf(Locale.ROOT, "%d rated variants (%d comparisons, %dx%d renders, trainer noise sd %.2f, "
        + "bias ±0.3) made in %d s, saved to %s%n", data.rows().size(), pairs, width, width * 3 / 4, noise,
        (System.nanoTime() - started) / 1_000_000_000L, cache);
    }
    List<RatedVariant> rows = data.rows();
    List<Double> truths = data.truths();

    RewardTrainer trainer = new RewardTrainer(ActivationRule.DEFAULT);
    long trainStart = System.nanoTime();
    RewardTrainer.Outcome outcome = trainer.train(rows);
    long trainMs = (System.nanoTime() - trainStart) / 1_000_000;
    HeldOutMetrics m = outcome.metrics();
    List<RatedVariant> heldOut = new ArrayList<>();
    List<Double> heldOutTruth = new ArrayList<>();
    double trainingSum = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (RewardTrainer.heldOut(rows.get(i).experimentId())) {
        heldOut.add(rows.get(i));
        heldOutTruth.add(truths.get(i));
      } else {
        trainingSum += rows.get(i).rating();
      }
    }
    HeldOutMetrics oracle = HeldOutMetrics.of(heldOut, heldOutTruth.stream().mapToDouble(Double::doubleValue)
      .toArray(), trainingSum / outcome.trainingRows());
    System.out.printf(Locale.ROOT, "%ntrained on %d, held out %d (%d pairs rated differently): %s; %d ms%n",
      outcome.trainingRows(), outcome.heldOutRows(), m.pairs(), outcome.reason(), trainMs);
    System.out.printf(Locale.ROOT, "%-22s %8s %12s %10s %10s%n", "predictor", "MAE", "within 0.5", "Spearman",
      "pairwise");
    System.out.printf(Locale.ROOT, "%-22s %8.3f %11.1f%% %10.3f %9.1f%%%n",
      encoder == null ? "reward model" : "model + embedding", m.mae(), 100 * m.withinHalf(), m.spearman(),
      100 * m.pairwiseAccuracy());
    if (encoder != null) {
      HeldOutMetrics plain = trainer.train(rows.stream().map(RatedVariant::withoutEmbedding).toList()).metrics();
      System.out.printf(Locale.ROOT, "%-22s %8.3f %11.1f%% %10.3f %9.1f%%%n", "model, features only",
        plain.mae(), 100 * plain.withinHalf(), plain.spearman(), 100 * plain.pairwiseAccuracy());
    }
    System.out.printf(Locale.ROOT, "%-22s %8.3f %11.1f%% %10s %9.1f%%%n", "training mean", m.baselineMae(),
      100 * m.baselineWithinHalf(), "-", 50.0);
    System.out.printf(Locale.ROOT, "%-22s %8.3f %11.1f%% %10.3f %9.1f%%%n", "oracle (hidden truth)",
      oracle.mae(), 100 * oracle.withinHalf(), oracle.spearman(), 100 * oracle.pairwiseAccuracy());
    System.out.printf(Locale.ROOT, "targets: pairwise accuracy %.1f%% >= 75%%: %s; within 0.5 %.1f%% >= 80%%: %s%n",
      100 * m.pairwiseAccuracy(), m.pairwiseAccuracy() >= 0.75 ? "met" : "NOT met", 100 * m.withinHalf(),
      m.withinHalf() >= 0.80 ? "met" : "NOT met");
    speed(extractor, comparison, outcome.model(), rows, random);
  }

  private static BenchmarkData generate(int pairs, double noise, int width, Random random, FeatureExtractor extractor,
                                        StructureComparison comparison, OnnxImageEncoder encoder) {
    List<RatedVariant> rows = new ArrayList<>();
    List<Double> truths = new ArrayList<>();
    double[] trainerBias = random.doubles(5, -0.3, 0.3).toArray();
    for (int experiment = 0; experiment < pairs; experiment++) {
      BufferedImage original = InteriorScenes.render(width, width * 3 / 4, random);
      FeatureVector originalFeatures = extractor.extract(original);
      int trainer = experiment % trainerBias.length;
      double bias = trainerBias[trainer];
      for (int side = 0; side < 2; side++) {
        Degradations levels = Degradations.random(random);
        BufferedImage variant = levels.apply(original, random);
        double truth = hiddenTaste(levels);
        double rating = Math.max(1, Math.min(5, Math.round(truth + bias + noise * random.nextGaussian())));
        rows.add(new RatedVariant(rows.size(), experiment, trainer + 1, extractor.extract(variant), originalFeatures,
          comparison.compare(original, variant), side == 0 ? "local" : "leonardo", "v1.0.0",
          new double[] {random.nextDouble(), 3 + 12 * random.nextDouble(), 0.2 + 0.6 * random.nextDouble()},
          encoder == null ? null : encoder.embed(variant), rating));
        truths.add(truth);
      }
    }
    return new BenchmarkData(rows, truths);
  }

  /** The taste the trainers rate by; the model never sees it. */
  static double hiddenTaste(Degradations d) {
    double penalty = 1.6 * Math.pow(d.blur(), 0.8) + 1.4 * d.noise() + 1.8 * d.cast()
      + 1.5 * Math.pow(Math.abs(d.exposure()), 1.2) + 2.2 * d.structure()
      // Blur hides noise a little, as people notice.
      - 0.5 * d.blur() * d.noise();
    return Math.max(1, Math.min(5, 4.9 - penalty));
  }

  private static void speed(FeatureExtractor extractor, StructureComparison comparison, RewardModel model,
                            List<RatedVariant> rows, Random random) {
    BufferedImage photo = InteriorScenes.render(1152, 864, random);
    BufferedImage variant = Degradations.random(random).apply(photo, random);
    long[] features = new long[21];
    long[] structure = new long[21];
    for (int i = 0; i < features.length; i++) {
      long t0 = System.nanoTime();
      extractor.extract(photo);
      long t1 = System.nanoTime();
      comparison.compare(photo, variant);
      long t2 = System.nanoTime();
      features[i] = t1 - t0;
      structure[i] = t2 - t1;
    }
    long[] predictions = new long[2001];
    for (int i = 0; i < predictions.length; i++) {
      long t0 = System.nanoTime();
      model.predict(rows.get(i % rows.size()));
      predictions[i] = System.nanoTime() - t0;
    }
    System.out.printf(Locale.ROOT, "%nspeed (one thread): features of a 1152x864 (1.0 MP) image median %.1f ms, "
      + "structure comparison median %.1f ms, prediction median %.3f ms (p99 %.3f ms)%n", median(features) / 1e6,
      median(structure) / 1e6, median(predictions) / 1e6, percentile(predictions, 0.99) / 1e6);
  }

  private static double median(long[] values) {
    return percentile(values, 0.5);
  }

  private static double percentile(long[] values, double q) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
  }

  /** {@code tiny}: the test suite's channel-mean encoder (the plumbing, not a learned embedding); else a file. */
  private static OnnxImageEncoder encoder(String onnx, Path benchDir) throws IOException {
    Path model = Path.of(onnx);
    if (onnx.equals("tiny")) {
      Files.createDirectories(benchDir);
      model = TinyOnnxModel.write(benchDir.resolve("tiny-encoder.onnx"), 3, 32);
    }
    OnnxImageEncoder encoder = OnnxImageEncoder.load(model, OnnxImageEncoder.CLIP_MEAN, OnnxImageEncoder.CLIP_STD, 1);
    System.out.printf(Locale.ROOT, "learned embedding from %s%n", encoder.description());
    return encoder;
  }

  private static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  private static double doubleArg(String[] args, String name, double fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Double.parseDouble(args[i + 1]);
      }
    }
    return fallback;
  }
}
