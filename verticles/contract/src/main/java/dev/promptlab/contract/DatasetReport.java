package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A dataset with the report of its upload ({@link Addresses#TEXTOPT_DATASET_CREATE},
 * {@link Addresses#TEXTOPT_DATASET_SHOW}): the summary's fields and {@code rejected}, the refused rows in file order,
 * at most {@link #MAX_LISTED} of them ({@code rejected_count} counts them all).
 */
public record DatasetReport(DatasetSummary dataset, List<RefusedRow> rejected) {

  public static final int MAX_LISTED = 1000;

  public DatasetReport {
    rejected = List.copyOf(rejected);
  }

  public JsonObject toJson() {
    return dataset.toJson().put("rejected", ReplyFields.array(rejected, RefusedRow::toJson));
  }

  public static DatasetReport fromJson(JsonObject json) {
    return new DatasetReport(DatasetSummary.fromJson(json), ReplyFields.list(json, "rejected", RefusedRow::fromJson));
  }
}
