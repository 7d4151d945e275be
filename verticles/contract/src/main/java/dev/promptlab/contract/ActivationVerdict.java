package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Why a reward model is or is not used, for a page to say in its own language: a code, the figure that decided and
 * the figure it needed. Codes: {@code active}; {@code too_few_rows}, {@code no_held_out}, {@code too_few_held_out},
 * {@code too_few_pairs} (counts: rated variants to fit on, held-out comparisons, held-out ratings, held-out pairs
 * rated differently); {@code mae_not_better} (held-out MAE, the most it may be); {@code pairs_not_better}
 * (pairwise accuracy as a share, the least it must be).
 */
public record ActivationVerdict(String code, double have, double need) {

  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("have", have).put("need", need);
  }

  public static ActivationVerdict fromJson(JsonObject json) {
    return new ActivationVerdict(json.getString("code"), json.getDouble("have"), json.getDouble("need"));
  }
}
