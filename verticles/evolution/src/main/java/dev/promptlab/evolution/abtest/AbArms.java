package dev.promptlab.evolution.abtest;

import java.util.SplittableRandom;

/**
 * Which arm each assignment slot of an A/B test gets. Slots alternate between the arms in blocks of two whose
 * order is drawn from a seed (the test id and the block), so every pair of consecutive samples holds one of each
 * arm, yet option A is not always the control: the arm is not confounded with the option's position (and so
 * with the image API the optimizer tends to put first). Deterministic, hence reproducible and testable.
 */
public final class AbArms {

  public enum Arm { CONTROL, CANDIDATE }

  private AbArms() {
  }

  public static Arm armOf(long testId, long slot) {
    long block = slot / 2;
    boolean candidateFirst = new SplittableRandom(testId * 0x9E3779B97F4A7C15L + block).nextBoolean();
    boolean first = slot % 2 == 0;
    return first == candidateFirst ? Arm.CANDIDATE : Arm.CONTROL;
  }
}
