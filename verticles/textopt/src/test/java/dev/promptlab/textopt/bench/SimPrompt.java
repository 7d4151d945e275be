package dev.promptlab.textopt.bench;

import dev.promptlab.textopt.meta.PromptState;
import java.util.List;
import java.util.stream.Collectors;

/** A simulated prompt state: its sentences in order. Its texts are what the meta-model sees. */
record SimPrompt(List<Sentence> sentences) {

  SimPrompt {
    sentences = List.copyOf(sentences);
  }

  PromptState state() {
    return new PromptState(join(false), join(true));
  }

  /** The identity of the state, as the response cache keys it. */
  String key() {
    return state().text();
  }

  boolean has(String text) {
    return sentences.stream().anyMatch(s -> s.text().equals(text));
  }

  private String join(boolean output) {
    return sentences.stream().filter(s -> s.output() == output).map(Sentence::text)
      .collect(Collectors.joining(" "));
  }
}
