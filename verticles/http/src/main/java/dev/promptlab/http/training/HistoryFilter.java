package dev.promptlab.http.training;

import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.http.web.ApiError;
import java.util.function.Function;

/**
 * The filters of {@code GET /api/train/history}. {@code limit} bounds the experiments listed;
 * {@code minRating}, {@code api} and {@code mode} select the options (and so the experiments) shown.
 * Null means "no filter".
 */
public record HistoryFilter(int limit, Double minRating, String api, String mode) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  /** Reads the query parameters through {@code param} (null when absent); refuses invalid values with a 400. */
  public static HistoryFilter parse(Function<String, String> param) {
    int limit = DEFAULT_LIMIT;
    String rawLimit = param.apply("limit");
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit.strip());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("limit must be an integer from 1 to " + MAX_LIMIT);
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ApiError.badRequest("limit must be an integer from 1 to " + MAX_LIMIT);
      }
    }
    Double minRating = null;
    String rawMin = param.apply("min_rating");
    if (rawMin != null) {
      try {
        minRating = Double.parseDouble(rawMin.strip());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("min_rating must be a number from 1 to 5");
      }
      if (!(minRating >= 1 && minRating <= 5)) {
        throw ApiError.badRequest("min_rating must be a number from 1 to 5");
      }
    }
    String api = param.apply("api");
    if (api != null && !ParameterSpace.APIS.contains(api)) {
      throw ApiError.badRequest("api must be one of " + String.join(", ", ParameterSpace.APIS));
    }
    String mode = param.apply("mode");
    if (mode != null && !ParameterSpace.isMode(mode)) {
      throw ApiError.badRequest("mode must be one of " + String.join(", ", ParameterSpace.MODES));
    }
    return new HistoryFilter(limit, minRating, api, mode);
  }
}
