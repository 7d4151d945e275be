package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Runs, newest first, each without its iterations ({@link Addresses#TEXTOPT_RUNS}). */
public record TextRuns(List<TextRun> runs) {

  public TextRuns {
    runs = List.copyOf(runs);
  }

  public JsonObject toJson() {
    return new JsonObject().put("runs", ReplyFields.array(runs, TextRun::toJson));
  }

  public static TextRuns fromJson(JsonObject json) {
    return new TextRuns(ReplyFields.list(json, "runs", TextRun::fromJson));
  }
}
