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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The reward model's benchmark (not a test): scenes cut from real photographs ({@link PhotoScenes}; or, with
 * {@code --scenes procedural}, {@link InteriorScenes} renders), each enhanced twice along known axes
 * ({@link Degradations}), rated by simulated trainers through a hidden function of those axes with a per-trainer
 * bias, Likert noise and rounding to whole stars. The model sees only the images (features of the variant, of its
 * original, and the structure kept), the generation settings and which trainer rated. The photos are split: the
 * comparisons cut from about a fifth of them are held out, so the model is judged on photos it never saw.
 *
 * <p>Held-out figures are reported twice. Against the trainers' whole-star ratings (what a stored model's figures
 * are), beside the mean-predicting baseline, chance and two oracles — the hidden function, and the hidden function
 * plus the trainer's bias — which show the ceiling the Likert noise sets. Then against each variant's expected
 * rating (the hidden function plus its trainer's bias, without the noise and the rounding): the quantity a model
 * that predicts a rating with an uncertainty estimates. Last, the speed of features, prediction and training.
 *
 * <pre>mvn -B -ntp -q -pl verticles/reward -am -Pbench verify -DskipTests [-Dbench.args="--pairs 1000 --noise 0.35"]</pre>
 *
 * <p>{@code --onnx PATH} adds the embedding of an ONNX image encoder (a CLIP visual tower, say) and reports the
 * model with and without it; {@code --onnx tiny} uses the tests' channel-mean encoder, which exercises the path
 * but carries no more than the mean colour.
 */
public final class RewardBenchmark {

  /** Share of the photos whose comparisons are held out. */
  private static final double HELD_OUT_PHOTOS = 0.2;
  private static final double TRAINER_BIAS = 0.3;
  private static final int TRAINERS = 5;

  private RewardBenchmark() {
  }

  public static void main(String[] args) throws IOException {
    int pairs = intArg(args, "--pairs", 600);
    double noise = doubleArg(args, "--noise", 0.35);
    int width = intArg(args, "--width", 640);
    long seed = intArg(args, "--seed", 1);
    String onnx = stringArg(args, "--onnx", null);
    String scenes = stringArg(args, "--scenes", "photos");
    if (!scenes.equals("photos") && !scenes.equals("procedural")) {
      throw new IllegalArgumentException("--scenes is photos or procedural, not " + scenes);
    }
    Random random = new Random(seed);
    FeatureExtractor extractor = new FeatureExtractor();
    StructureComparison comparison = new StructureComparison();
    Path benchDir = Path.of(System.getProperty("bench.cache", "target/bench"));
    OnnxImageEncoder encoder = onnx == null ? null : encoder(onnx, benchDir);
    String encoderTag = encoder == null ? "" : "-" + Integer.toHexString(encoder.description().hashCode());
    Path cache = benchDir.resolve(String.format(Locale.ROOT, "rated-%s-%d-%d-%.2f-%d-v%d%s.bin", scenes, pairs,
      width, noise, seed, FeatureExtractor.VERSION, encoderTag));
    PhotoScenes photos = scenes.equals("photos") ? PhotoScenes.load() : null;
    boolean[] heldOutPhotos = photos == null ? new boolean[0] : heldOutPhotos(photos.count(), new Random(seed));
    if (photos != null) {
      List<String> names = new ArrayList<>();
      for (int p = 0; p < heldOutPhotos.length; p++) {
        if (heldOutPhotos[p]) {
          names.add(PhotoScenes.name(p));
        }
      }
      System.out.printf(Locale.ROOT, "%d photos; the comparisons cut from %s are held out%n", photos.count(),
        String.join(", ", names));
    }
    BenchmarkData data;
    if (Files.isRegularFile(cache)) {
      data = BenchmarkData.load(cache);
      System.out.printf(Locale.ROOT, "%d rated variants read from %s%n", data.rows().size(), cache);
    } else {
      long started = System.nanoTime();
      data = generate(pairs, noise, width, random, photos, heldOutPhotos, extractor, comparison, encoder);
      data.save(cache);
      System.out.printf(Locale.ROOT, "%d rated variants (%d comparisons, %dx%d %s, trainer noise sd %.2f, "
        + "bias ±%.1f) made in %d s, saved to %s%n", data.rows().size(), pairs, width, width * 3 / 4,
        photos == null ? "renders" : "photo crops", noise, TRAINER_BIAS,
        (System.nanoTime() - started) / 1_000_000_000L, cache);
    }
    List<RatedVariant> rows = data.rows();

    RewardTrainer trainer = new RewardTrainer(ActivationRule.DEFAULT);
    long trainStart = System.nanoTime();
    RewardTrainer.Outcome outcome = trainer.train(rows);
    long trainMs = (System.nanoTime() - trainStart) / 1_000_000;
    HeldOutMetrics m = outcome.metrics();
    System.out.printf(Locale.ROOT, "%ntrained on %d, held out %d (%d pairs rated differently): %s; %d ms%n",
      outcome.trainingRows(), outcome.heldOutRows(), m.pairs(), outcome.reason(), trainMs);

    // The same split as the trainer's; the model is refitted here on the training part alone, because an active
    // outcome's model has seen the held-out rows too.
    List<RatedVariant> training = new ArrayList<>();
    List<RatedVariant> heldOut = new ArrayList<>();
    List<Double> truth = new ArrayList<>();
    List<Double> expected = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (RewardTrainer.heldOut(rows.get(i).experimentId())) {
        heldOut.add(rows.get(i));
        truth.add(data.truths().get(i));
        expected.add(data.expected().get(i));
      } else {
        training.add(rows.get(i));
      }
    }
    double mean = training.stream().mapToDouble(RatedVariant::rating).average().orElseThrow();
    Map<String, double[]> predictors = new LinkedHashMap<>();
    predictors.put(encoder == null ? "reward model" : "model + embedding", predictions(training, heldOut));
    if (encoder != null) {
      predictors.put("model, features only", predictions(
        training.stream().map(RatedVariant::withoutEmbedding).toList(),
        heldOut.stream().map(RatedVariant::withoutEmbedding).toList()));
    }
    predictors.put("model, no trainer ids", predictions(
      training.stream().map(RewardBenchmark::anonymous).toList(),
      heldOut.stream().map(RewardBenchmark::anonymous).toList()));
    double[] truthArray = truth.stream().mapToDouble(Double::doubleValue).toArray();
    double[] expectedArray = expected.stream().mapToDouble(Double::doubleValue).toArray();

    System.out.printf(Locale.ROOT, "%nagainst the trainers' whole-star ratings (the stored model's figures):%n");
    Map<String, double[]> oracles = new LinkedHashMap<>();
    oracles.put("oracle: hidden function", truthArray);
    oracles.put("oracle: + trainer bias", expectedArray);
    table(heldOut, predictors, mean, oracles);
    List<RatedVariant> heldOutExpected = new ArrayList<>();
    for (int i = 0; i < heldOut.size(); i++) {
      heldOutExpected.add(rated(heldOut.get(i), expectedArray[i]));
    }
    System.out.printf(Locale.ROOT, "%nagainst each variant's expected rating (hidden function + trainer bias, "
      + "no Likert noise, no rounding):%n");
    table(heldOutExpected, predictors, mean, Map.of("oracle: hidden function", truthArray));

    HeldOutMetrics model = HeldOutMetrics.of(heldOut, predictors.values().iterator().next(), mean);
    HeldOutMetrics modelExpected = HeldOutMetrics.of(heldOutExpected, predictors.values().iterator().next(), mean);
    System.out.printf(Locale.ROOT, "%ntargets: pairwise accuracy %.1f%% >= 75%%: %s; within 0.5 %.1f%% >= 80%%: %s "
        + "against the ratings, %.1f%% >= 80%%: %s against the expected ratings%n",
      100 * model.pairwiseAccuracy(), model.pairwiseAccuracy() >= 0.75 ? "met" : "NOT met",
      100 * model.withinHalf(), model.withinHalf() >= 0.80 ? "met" : "NOT met",
      100 * modelExpected.withinHalf(), modelExpected.withinHalf() >= 0.80 ? "met" : "NOT met");
    speed(extractor, comparison, outcome.model(), rows, photos, random);
  }

  /** Which photos are held out: a seeded draw of {@link #HELD_OUT_PHOTOS} of them. */
  private static boolean[] heldOutPhotos(int count, Random random) {
    List<Integer> order = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      order.add(p);
    }
    Collections.shuffle(order, random);
    boolean[] heldOut = new boolean[count];
    for (int i = 0; i < Math.round(count * HELD_OUT_PHOTOS); i++) {
      heldOut[order.get(i)] = true;
    }
    return heldOut;
  }

  private static double[] predictions(List<RatedVariant> training, List<RatedVariant> heldOut) {
    RewardModel model = RewardModel.fit(training);
    return heldOut.stream().mapToDouble(r -> model.predict(r).rating()).toArray();
  }

  private static void table(List<RatedVariant> heldOut, Map<String, double[]> predictors, double mean,
                            Map<String, double[]> oracles) {
    System.out.printf(Locale.ROOT, "%-26s %8s %12s %10s %10s%n", "predictor", "MAE", "within 0.5", "Spearman",
      "pairwise");
    HeldOutMetrics any = null;
    for (Map.Entry<String, double[]> p : predictors.entrySet()) {
      any = HeldOutMetrics.of(heldOut, p.getValue(), mean);
      line(p.getKey(), any);
    }
    System.out.printf(Locale.ROOT, "%-26s %8.3f %11.1f%% %10s %9.1f%%%n", "training mean", any.baselineMae(),
      100 * any.baselineWithinHalf(), "-", 50.0);
    for (Map.Entry<String, double[]> o : oracles.entrySet()) {
      line(o.getKey(), HeldOutMetrics.of(heldOut, o.getValue(), mean));
    }
  }

  private static void line(String name, HeldOutMetrics m) {
    System.out.printf(Locale.ROOT, "%-26s %8.3f %11.1f%% %10.3f %9.1f%%%n", name, m.mae(), 100 * m.withinHalf(),
      m.spearman(), 100 * m.pairwiseAccuracy());
  }

  /** The row as rated by no trainer in particular: the model then learns no per-trainer offset. */
  private static RatedVariant anonymous(RatedVariant r) {
    return new RatedVariant(r.ratingId(), r.experimentId(), 0, r.variant(), r.original(), r.structure(), r.api(),
      r.promptVersion(), r.parameters(), r.embedding(), r.rating());
  }

  private static RatedVariant rated(RatedVariant r, double rating) {
    return new RatedVariant(r.ratingId(), r.experimentId(), r.raterId(), r.variant(), r.original(), r.structure(),
      r.api(), r.promptVersion(), r.parameters(), r.embedding(), rating);
  }

  private static BenchmarkData generate(int pairs, double noise, int width, Random random, PhotoScenes photos,
                                        boolean[] heldOutPhotos, FeatureExtractor extractor,
                                        StructureComparison comparison, OnnxImageEncoder encoder) {
    List<RatedVariant> rows = new ArrayList<>();
    List<Double> truths = new ArrayList<>();
    List<Double> expected = new ArrayList<>();
    double[] trainerBias = random.doubles(TRAINERS, -TRAINER_BIAS, TRAINER_BIAS).toArray();
    int height = width * 3 / 4;
    // Photo comparisons take the next experiment id on their photo's side of the trainer's split, so the held-out
    // part is exactly the comparisons cut from the held-out photos.
    long[] nextId = {0, 0};
    for (int experiment = 0; experiment < pairs; experiment++) {
      BufferedImage original;
      long experimentId;
      if (photos == null) {
        original = InteriorScenes.render(width, height, random);
        experimentId = experiment;
      } else {
        int photo = random.nextInt(photos.count());
        original = photos.cut(photo, width, height, random);
        int split = heldOutPhotos[photo] ? 1 : 0;
        while (RewardTrainer.heldOut(nextId[split]) != heldOutPhotos[photo]) {
          nextId[split]++;
        }
        experimentId = nextId[split]++;
      }
      FeatureVector originalFeatures = extractor.extract(original);
      int trainer = experiment % trainerBias.length;
      double bias = trainerBias[trainer];
      for (int side = 0; side < 2; side++) {
        Degradations levels = Degradations.random(random);
        BufferedImage variant = levels.apply(original, random);
        double truth = hiddenTaste(levels);
        double rating = Math.max(1, Math.min(5, Math.round(truth + bias + noise * random.nextGaussian())));
        rows.add(new RatedVariant(rows.size(), experimentId, trainer + 1, extractor.extract(variant),
          originalFeatures, comparison.compare(original, variant), side == 0 ? "local" : "leonardo", "v1.0.0",
          new double[] {random.nextDouble(), 3 + 12 * random.nextDouble(), 0.2 + 0.6 * random.nextDouble()},
          encoder == null ? null : encoder.embed(variant), rating));
        truths.add(truth);
        expected.add(Math.max(1, Math.min(5, truth + bias)));
      }
    }
    return new BenchmarkData(rows, truths, expected);
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
                            List<RatedVariant> rows, PhotoScenes photos, Random random) {
    BufferedImage photo = photos == null ? InteriorScenes.render(1152, 864, random)
      : photos.cut(random.nextInt(photos.count()), 1152, 864, random);
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
