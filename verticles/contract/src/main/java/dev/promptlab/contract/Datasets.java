package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Stored datasets, newest first ({@link Addresses#TEXTOPT_DATASETS}). */
public record Datasets(List<DatasetSummary> datasets) {

  public Datasets {
    datasets = List.copyOf(datasets);
  }

  public JsonObject toJson() {
    return new JsonObject().put("datasets", ReplyFields.array(datasets, DatasetSummary::toJson));
  }

  public static Datasets fromJson(JsonObject json) {
    return new Datasets(ReplyFields.list(json, "datasets", DatasetSummary::fromJson));
  }
}
