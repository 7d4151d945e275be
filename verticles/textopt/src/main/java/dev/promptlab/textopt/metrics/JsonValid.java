package dev.promptlab.textopt.metrics;

import java.util.Objects;

/**
 * 1 when the whole prediction is one strict JSON value ({@link StrictJson}), else 0 with the parser's reason. The
 * reference is not used. A value wrapped in a Markdown code fence is not JSON: asking for bare JSON is part of what
 * an output prompt is optimised for.
 */
public final class JsonValid implements Metric {

  public static final String NAME = "json_valid";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Score score(String prediction, String reference) {
    Objects.requireNonNull(reference, "reference");
    try {
      StrictJson.parse(prediction);
      return Score.of(1.0);
    } catch (StrictJson.NotJson e) {
      return Score.zero(e.getMessage());
    }
  }
}
