package dev.promptlab.http.training;

import dev.promptlab.contract.SuggestRequest;
import io.vertx.core.json.JsonObject;

/**
 * The reward model's uses in the enhance flow (keys of the {@code http} slice): {@code best_of_n} candidates
 * rendered per upload while a reward model is active (2, the default: off, every upload renders the two it
 * shows), screening of confidently bad candidates ({@code screen_below_rating}, unset: off; {@code screen_sigmas}),
 * and how long the reward verticle may take to say whether it is active and to predict the candidates
 * ({@code reward_timeout_ms}).
 */
public record CandidateSettings(int bestOfN, CandidateSelection.Screen screen, long rewardTimeoutMs) {

  /** The most candidates one upload may render: the optimizer suggests at most this many points at once. */
  public static final int MAX_CANDIDATES = SuggestRequest.MAX_COUNT;

  public static final CandidateSettings OFF = new CandidateSettings(2, null, 10_000);

  public CandidateSettings {
    if (bestOfN < 2 || bestOfN > MAX_CANDIDATES) {
      throw new IllegalArgumentException("http.best_of_n must be a whole number from 2 (off) to " + MAX_CANDIDATES
        + ", got " + bestOfN);
    }
    if (rewardTimeoutMs <= 0) {
      throw new IllegalArgumentException("http.reward_timeout_ms must be a positive number, got " + rewardTimeoutMs);
    }
  }

  /** The model chooses among candidates only when more are rendered than shown; screening works among those. */
  public boolean modelChooses() {
    return bestOfN > CandidateSelection.OPTIONS.size();
  }

  public static CandidateSettings fromJson(JsonObject json) {
    int bestOfN = wholeNumber(json, "best_of_n", 2);
    Object below = json.getValue("screen_below_rating");
    CandidateSelection.Screen screen = null;
    if (below != null) {
      try {
        screen = new CandidateSelection.Screen(number(json, "screen_below_rating", 0), number(json, "screen_sigmas", 1.0));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("http.screen_below_rating and http.screen_sigmas: " + e.getMessage());
      }
    }
    Object timeout = json.getValue("reward_timeout_ms", 10_000L);
    if (!(timeout instanceof Number t) || t.doubleValue() != Math.rint(t.doubleValue())) {
      throw new IllegalArgumentException("http.reward_timeout_ms must be a positive number, got " + timeout);
    }
    return new CandidateSettings(bestOfN, screen, t.longValue());
  }

  private static int wholeNumber(JsonObject json, String key, int fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalArgumentException("http." + key + " must be a whole number, got " + value);
    }
    return n.intValue();
  }

  private static double number(JsonObject json, String key, double fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException("http." + key + " must be a number, got " + value);
    }
    return n.doubleValue();
  }
}
