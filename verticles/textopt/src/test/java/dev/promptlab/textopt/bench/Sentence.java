package dev.promptlab.textopt.bench;

/**
 * One instruction of a simulated prompt: its text, where it goes, and its hidden effect, which the meta-model never
 * sees (it sees only the text).
 *
 * @param text what the prompt says
 * @param output whether it belongs to the output prompt (else the system prompt)
 * @param general its effect on every row, in logits
 * @param effects its effect on rows exposed to each {@link FailureMode}, in logits, by ordinal
 * @param group the problem it is about, so that a rewrite replaces it by another sentence about the same problem
 * @param answerOnly whether it tells the model to give the bare value (what keeps reasoning out of the answer)
 * @param reasoning whether it asks the model to reason before answering
 * @param core whether it is the task statement, which the optimizer never drops
 */
record Sentence(String text, boolean output, double general, double[] effects, String group, boolean answerOnly,
                boolean reasoning, boolean core) {

  static Sentence of(String text, boolean output, double general, String group, Object... modeEffects) {
    double[] effects = new double[FailureMode.values().length];
    for (int i = 0; i < modeEffects.length; i += 2) {
      effects[((FailureMode) modeEffects[i]).ordinal()] = ((Number) modeEffects[i + 1]).doubleValue();
    }
    return new Sentence(text, output, general, effects, group, false, false, false);
  }

  Sentence answerOnlyRule() {
    return new Sentence(text, output, general, effects, group, true, reasoning, core);
  }

  Sentence reasoningRule() {
    return new Sentence(text, output, general, effects, group, answerOnly, true, core);
  }

  Sentence coreRule() {
    return new Sentence(text, output, general, effects, group, answerOnly, reasoning, true);
  }
}
