package dev.promptlab.launcher.bench;

import dev.promptlab.contract.GenerationParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated trainer with a hidden taste rating {@code budget} suggestions of a study, and the same
 * budget of random settings scored by the same taste; what each achieved.
 */
public final class TrainerRun {

  /**
   * What one method achieved on one taste; {@code repeatedPoints} counts the experiments whose options had the same
   * setting (the two arms of an A/B test are rendered at one point), so the budget bought fewer distinct settings.
   */
  public record Outcome(double[] trueRatings, int phaseOneStop, String phaseOneReason, double claimedBestTrue,
                        int repeatedPoints) {

    public static final double TARGET = 4.0;

    /** Ratings until the first suggestion with a true rating >= 4 (1-based), or -1. */
    public int firstHit() {
      for (int i = 0; i < trueRatings.length; i++) {
        if (trueRatings[i] >= TARGET) {
          return i + 1;
        }
      }
      return -1;
    }

    public double meanOfLast(int k) {
      double sum = 0;
      int from = Math.max(0, trueRatings.length - k);
      for (int i = from; i < trueRatings.length; i++) {
        sum += trueRatings[i];
      }
      return sum / (trueRatings.length - from);
    }

    /** Phase 1 ended by a rule other than the sample count. */
    public boolean stoppedEarly() {
      return phaseOneStop > 0 && phaseOneReason != null && !"samples".equals(phaseOneReason);
    }

    /** ... and the setting the study then called best is truly below 4. */
    public boolean stoppedWrongly() {
      return stoppedEarly() && claimedBestTrue < TARGET;
    }
  }

  private TrainerRun() {
  }

  /** Drives the study through {@code budget} ratings (two options per experiment). */
  public static Outcome optimizer(HiddenTaste taste, StudyDriver study, int budget, long seed) throws Exception {
    Trainer trainer = new Trainer(taste, study, budget, seed);
    while (!trainer.done()) {
      trainer.step();
    }
    return trainer.outcome();
  }

  /**
   * Trainers of one server taking turns, one experiment each, until all have rated their budget: the order two
   * trainers rating side by side give the evolution they share.
   */
  public static List<Outcome> alternating(List<Trainer> trainers) throws Exception {
    boolean left = true;
    while (left) {
      left = false;
      for (Trainer trainer : trainers) {
        if (!trainer.done()) {
          trainer.step();
          left = true;
        }
      }
    }
    return trainers.stream().map(Trainer::outcome).toList();
  }

  /** One simulated trainer rating a study's experiments one at a time. */
  public static final class Trainer {

    private final HiddenTaste taste;
    private final StudyDriver study;
    private final int budget;
    private final SplittableRandom noise;
    private final List<Double> truth = new ArrayList<>();
    private int stop = -1;
    private String reason;
    private double claimed = Double.NaN;
    private int repeated;

    public Trainer(HiddenTaste taste, StudyDriver study, int budget, long seed) {
      this.taste = taste;
      this.study = study;
      this.budget = budget;
      this.noise = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    public boolean done() {
      return truth.size() >= budget;
    }

    /** Uploads, rates the experiment's options by the hidden taste, notes when phase 1 ends. */
    public void step() throws Exception {
      List<GenerationParameters> options = study.experiment();
      repeated += options.size() > 1 && options.stream().distinct().count() == 1 ? 1 : 0;
      List<Integer> ratings = new ArrayList<>();
      for (GenerationParameters p : options) {
        truth.add(taste.trueRating(p));
        ratings.add(taste.rate(p, noise));
      }
      StudyDriver.PhaseOne phase = study.rate(ratings);
      if (stop < 0 && phase.complete()) {
        stop = truth.size();
        reason = phase.reason();
        claimed = phase.bestParameters() == null ? Double.NaN : taste.trueRating(phase.bestParameters());
      }
    }

    public Outcome outcome() {
      return new Outcome(truth.stream().mapToDouble(Double::doubleValue).limit(budget).toArray(), stop, reason, claimed,
        repeated);
    }
  }

  /** Random search: {@code budget} uniform settings drawn here, scored by the same taste. */
  public static Outcome random(HiddenTaste taste, int budget, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
    double[] truth = new double[budget];
    for (int i = 0; i < budget; i++) {
      truth[i] = taste.trueRating(HiddenTaste.randomSetting(random));
    }
    return new Outcome(truth, -1, null, Double.NaN, 0);
  }
}
