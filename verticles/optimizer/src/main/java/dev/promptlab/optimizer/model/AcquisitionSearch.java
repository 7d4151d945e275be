package dev.promptlab.optimizer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Finds the points of highest acquisition — the upper confidence bound {@code mean + width * sd}, or log expected
 * improvement, as the settings say — over a space-filling candidate set plus
 * perturbations of the best observed points, then gradient polishing of the most promising candidates
 * over the real coordinates (categorical levels held). A batch is built with the kriging believer:
 * each chosen point (and every suggested-but-unrated point) is added to the model as a fantasy
 * observation at its posterior mean, which collapses the variance there and pushes the next choice
 * elsewhere; points closer than the minimum separation to one already chosen are skipped.
 */
public final class AcquisitionSearch {

  /** Knobs of the search; see {@link OptimizerSettings} for the defaults and their reasons. */
  public record Settings(int candidates, int localCandidates, double localSpread, int polishStarts,
                         int polishIterations, OptimizerSettings.Acquisition rule, double noiseMargin,
                         double confidenceWidth, double minSeparation) {
  }

  private final SearchSpace space;
  private final Settings settings;
  private final int[] continuous;

  public AcquisitionSearch(SearchSpace space, Settings settings) {
    this.space = space;
    this.settings = settings;
    this.continuous = space.continuousColumns();
  }

  /**
   * {@code count} encoded points, pairwise at least the minimum separation apart and apart from
   * {@code pending} (points suggested earlier whose ratings have not arrived): all by the acquisition.
   */
  public List<double[]> suggest(Surrogate surrogate, List<double[]> pending, int count, RandomGenerator random) {
    return suggest(surrogate, pending, count, 0, random);
  }

  /**
   * As {@link #suggest(Surrogate, List, int, RandomGenerator)}, but the first {@code exploit} points
   * exploit: each is the candidate of highest posterior mean (around the best observed settings), so
   * what the model already believes is good gets rated again; the rest explore by the acquisition.
   */
  public List<double[]> suggest(Surrogate surrogate, List<double[]> pending, int count, int exploit,
                                RandomGenerator random) {
    return suggest(surrogate, pending, count, exploit, 0, random);
  }

  /**
   * As {@link #suggest(Surrogate, List, int, int, RandomGenerator)}, with the last {@code spread} points (of those
   * that do not exploit) placed where a rating would teach the model most about the whole box: each is the candidate
   * whose rating would lower the posterior variance summed over the box the most (integrated variance reduction, with
   * the observed, pending and already chosen points all counted). The model's mean plays no part in them: while it
   * has found nothing, what it believes is mostly noise, and the acquisition then tends to return to the faces
   * of the box and to lucky votes, leaving holes inside it where a narrow peak can hide. (Taking the candidate
   * farthest from every rated point was tried first: it also favours the corners, which are far from everything but
   * cover little of the box.)
   */
  public List<double[]> suggest(Surrogate surrogate, List<double[]> pending, int count, int exploit, int spread,
                                RandomGenerator random) {
    GaussianProcess process = surrogate.process();
    AcquisitionFunction acquisition = acquisitionFunction(surrogate);
    List<double[]> taken = new ArrayList<>();
    for (double[] p : pending) {
      process = believe(process, p);
      taken.add(p);
    }
    double[][] candidates = candidates(surrogate, random);
    List<double[]> chosen = new ArrayList<>();
    double[][] nearBest = exploit > 0 ? nearIncumbent(surrogate, random) : null;
    int spreadFrom = Math.max(exploit, count - spread);
    for (int k = 0; k < count; k++) {
      double[] point = k < exploit ? highestMean(surrogate.process(), nearBest, taken)
        : k >= spreadFrom ? emptiest(process, taken, random)
        : maximise(process, acquisition, candidates, taken);
      if (point == null) {
        point = farthestRandom(taken, random);
      }
      chosen.add(point);
      taken.add(point);
      if (k + 1 < count) {
        process = believe(process, point);
      }
    }
    return chosen;
  }

  /** What the exploring points maximise, by the settings' rule. */
  private AcquisitionFunction acquisitionFunction(Surrogate surrogate) {
    if (settings.rule() == OptimizerSettings.Acquisition.UCB) {
      return AcquisitionFunction.upperConfidenceBound(settings.confidenceWidth());
    }
    // The margin scales with the learned noise: a noisy study only chases improvements that stand out
    // from the noise, a noise-free function keeps refining its optimum.
    double xi = settings.noiseMargin() * Math.sqrt(surrogate.hyperparameters().noiseVariance());
    return AcquisitionFunction.expectedImprovement(surrogate.incumbentStandardMean(), xi);
  }

  /** Space-filling candidates a spread point is chosen from, and the points the variance is summed over. */
  private static final int SPREAD_CANDIDATES = 512;
  private static final int SPREAD_REFERENCE = 256;

  /**
   * The candidate whose rating would lower the posterior variance summed over the box the most, keeping its distance
   * from taken points; {@code process} already holds the pending and chosen points as fantasies.
   */
  private double[] emptiest(GaussianProcess process, List<double[]> taken, RandomGenerator random) {
    double[][] candidates = SpaceFillingDesign.points(space, SPREAD_CANDIDATES, random).toArray(new double[0][]);
    double[][] reference = SpaceFillingDesign.points(space, SPREAD_REFERENCE, random).toArray(new double[0][]);
    return highestSeparated(candidates, process.integratedVarianceReduction(candidates, reference), taken);
  }

  /** Spread (unit cube) of the candidates an exploiting point is chosen from, around the best settings. */
  private static final double EXPLOIT_SPREAD = 0.06;
  private static final int EXPLOIT_CANDIDATES = 400;

  /** Candidates for exploitation: the observed points and small perturbations of the best ones. */
  private double[][] nearIncumbent(Surrogate surrogate, RandomGenerator random) {
    List<double[]> list = new ArrayList<>(List.of(surrogate.inputs()));
    List<double[]> anchors = bestObserved(surrogate, 3);
    for (int i = 0; i < EXPLOIT_CANDIDATES; i++) {
      double[] z = anchors.get(i % anchors.size()).clone();
      for (int c : continuous) {
        z[c] = Math.min(1.0, Math.max(0.0, z[c] + EXPLOIT_SPREAD * random.nextGaussian()));
      }
      list.add(z);
    }
    return list.toArray(new double[0][]);
  }

  /**
   * The candidate of highest posterior mean that keeps its distance from taken points (the mean is the
   * same with or without kriging-believer fantasies, so the surrogate's own process serves).
   */
  private double[] highestMean(GaussianProcess process, double[][] candidates, List<double[]> taken) {
    return highestSeparated(candidates, process.predictMeans(candidates), taken);
  }

  /** The candidate of highest score that keeps its distance from taken points (a copy), or null when none does. */
  private double[] highestSeparated(double[][] candidates, double[] score, List<double[]> taken) {
    double[] bestPoint = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < candidates.length; i++) {
      if (score[i] > bestScore && separated(candidates[i], taken)) {
        bestScore = score[i];
        bestPoint = candidates[i];
      }
    }
    return bestPoint == null ? null : bestPoint.clone();
  }

  private static GaussianProcess believe(GaussianProcess process, double[] point) {
    return process.condition(point, process.predict(point).mean());
  }

  /** The candidate set: shifted Sobol points and Gaussian perturbations of the best observed points. */
  double[][] candidates(Surrogate surrogate, RandomGenerator random) {
    List<double[]> list = new ArrayList<>(settings.candidates() + settings.localCandidates());
    list.addAll(SpaceFillingDesign.points(space, settings.candidates(), random));
    if (settings.localCandidates() > 0 && continuous.length > 0) {
      List<double[]> anchors = bestObserved(surrogate, 5);
      for (int i = 0; i < settings.localCandidates(); i++) {
        double[] z = anchors.get(i % anchors.size()).clone();
        for (int c : continuous) {
          z[c] = Math.min(1.0, Math.max(0.0, z[c] + settings.localSpread() * random.nextGaussian()));
        }
        list.add(z);
      }
    }
    return list.toArray(new double[0][]);
  }

  private static List<double[]> bestObserved(Surrogate surrogate, int k) {
    double[][] inputs = surrogate.inputs();
    double[] mean = surrogate.observedStandardMeans();
    return IntStream.range(0, inputs.length).boxed()
      .sorted(Comparator.comparingDouble((Integer i) -> -mean[i]))
      .limit(k)
      .map(i -> inputs[i])
      .toList();
  }

  /** Observations a candidate's variance bound conditions on (see {@link GaussianProcess#predictWithVarianceBound}). */
  private static final int BOUND_NEIGHBOURS = 16;
  /** Below this many observations exact variances cost less than the bounds: no screening. */
  private static final int SCREEN_FROM = 200;
  /** Exact variances computed per round of the screening. */
  private static final int SCREEN_BLOCK = 64;

  private double[] maximise(GaussianProcess process, AcquisitionFunction acquisition, double[][] candidates,
                            List<double[]> taken) {
    int m = candidates.length;
    double[] mean = new double[m];
    double[] variance = new double[m];
    boolean exact = process.size() < SCREEN_FROM;
    if (exact) {
      process.predict(candidates, mean, variance);
    } else {
      process.predictWithVarianceBound(candidates, BOUND_NEIGHBOURS, mean, variance);
    }
    double[] bound = new double[m];
    for (int i = 0; i < m; i++) {
      bound[i] = acquisition.value(mean[i], Math.sqrt(variance[i]));
    }
    Integer[] byBound = IntStream.range(0, m).boxed().toArray(Integer[]::new);
    Arrays.sort(byBound, Comparator.comparingDouble((Integer i) -> -bound[i]));
    // Exact values in the order of the bound, until no remaining bound can enter the best `needed`:
    // the best candidates are then the same as if every variance had been computed exactly.
    int needed = 2 * settings.polishStarts() + 8;
    double[] score = new double[m];
    Arrays.fill(score, Double.NEGATIVE_INFINITY);
    PriorityQueue<Double> top = new PriorityQueue<>();
    int screened = 0;
    if (exact) {
      System.arraycopy(bound, 0, score, 0, m);
      screened = m;
    }
    while (screened < m && (top.size() < needed || bound[byBound[screened]] > top.peek())) {
      int count = Math.min(SCREEN_BLOCK, m - screened);
      int[] indices = new int[count];
      for (int c = 0; c < count; c++) {
        indices[c] = byBound[screened + c];
      }
      process.exactVariances(candidates, indices, variance);
      for (int index : indices) {
        score[index] = acquisition.value(mean[index], Math.sqrt(variance[index]));
        top.add(score[index]);
        if (top.size() > needed) {
          top.poll();
        }
      }
      screened += count;
    }
    Integer[] order = Arrays.copyOf(byBound, screened);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]));
    double[] chosen = polishBest(process, acquisition, candidates, order, score, taken);
    if (chosen == null && screened < m) {
      // Every screened candidate was too close to a taken point: score the rest exactly too.
      int[] rest = new int[m - screened];
      for (int c = 0; c < rest.length; c++) {
        rest[c] = byBound[screened + c];
      }
      process.exactVariances(candidates, rest, variance);
      for (int index : rest) {
        score[index] = acquisition.value(mean[index], Math.sqrt(variance[index]));
      }
      Arrays.sort(byBound, Comparator.comparingDouble((Integer i) -> -score[i]));
      chosen = polishBest(process, acquisition, candidates, byBound, score, taken);
    }
    return chosen;
  }

  /** Polishes the best-scoring candidates (in {@code order}) that keep their distance; the best result. */
  private double[] polishBest(GaussianProcess process, AcquisitionFunction acquisition, double[][] candidates,
                              Integer[] order, double[] score, List<double[]> taken) {
    double[] bestPoint = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    int polished = 0;
    for (Integer index : order) {
      if (polished >= settings.polishStarts()) {
        break;
      }
      double[] start = candidates[index];
      if (!separated(start, taken)) {
        continue;
      }
      polished++;
      double[] point = start;
      double value = score[index];
      if (continuous.length > 0 && settings.polishIterations() > 0) {
        double[] refined = polish(process, acquisition, start);
        if (refined != null && separated(refined, taken)) {
          GaussianProcess.Prediction p = process.predict(refined);
          double refinedValue = acquisition.value(p.mean(), p.sd());
          if (refinedValue > value) {
            point = refined;
            value = refinedValue;
          }
        }
      }
      if (value > bestScore) {
        bestScore = value;
        bestPoint = point;
      }
    }
    return bestPoint == null ? null : bestPoint.clone();
  }

  /** Local maximisation of the acquisition over the real coordinates, from {@code start}. */
  private double[] polish(GaussianProcess process, AcquisitionFunction acquisition, double[] start) {
    int k = continuous.length;
    double[] lower = new double[k];
    double[] upper = new double[k];
    Arrays.fill(upper, 1.0);
    double[] u0 = new double[k];
    for (int i = 0; i < k; i++) {
      u0[i] = start[continuous[i]];
    }
    BoundedMinimizer minimizer = new BoundedMinimizer(lower, upper, settings.polishIterations(), 1e-9, 1e-7);
    BoundedMinimizer.Result result = minimizer.minimize((u, gradient) -> {
      double[] z = start.clone();
      for (int i = 0; i < k; i++) {
        z[continuous[i]] = u[i];
      }
      double[] full = new double[z.length];
      double value = acquisition.valueWithGradient(process.predictWithGradient(z), full);
      for (int i = 0; i < k; i++) {
        gradient[i] = -full[continuous[i]];
      }
      return -value;
    }, u0);
    if (!Double.isFinite(result.value())) {
      return null;
    }
    double[] z = start.clone();
    for (int i = 0; i < k; i++) {
      z[continuous[i]] = result.point()[i];
    }
    return z;
  }

  private boolean separated(double[] point, List<double[]> taken) {
    double min2 = settings.minSeparation() * settings.minSeparation();
    for (double[] t : taken) {
      if (SearchSpace.squaredDistance(point, t) < min2) {
        return false;
      }
    }
    return true;
  }

  /** Last resort when every candidate is too close to a taken point: the farthest of a few random points. */
  private double[] farthestRandom(List<double[]> taken, RandomGenerator random) {
    List<double[]> points = new ArrayList<>(256);
    for (int i = 0; i < 256; i++) {
      points.add(space.sample(random));
    }
    return farthest(points, taken);
  }

  /** The point of {@code points} farthest from its nearest taken point (a copy). */
  private static double[] farthest(List<double[]> points, List<double[]> taken) {
    double[] bestPoint = null;
    double bestDistance = -1;
    for (double[] z : points) {
      double d = Double.POSITIVE_INFINITY;
      for (double[] t : taken) {
        d = Math.min(d, SearchSpace.squaredDistance(z, t));
      }
      if (d > bestDistance) {
        bestDistance = d;
        bestPoint = z;
      }
    }
    return bestPoint == null ? null : bestPoint.clone();
  }
}
