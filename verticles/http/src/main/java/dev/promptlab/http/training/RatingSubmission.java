package dev.promptlab.http.training;

import dev.promptlab.http.web.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /api/train/rate} body (seed shape): every rule that does not need the
 * database is checked here, each refusal is a 400 with a message that names the field.
 */
public record RatingSubmission(String experimentId, List<Entry> ratings, String ratedBy) {

  public static final int MAX_COMMENT_CHARS = 2000;
  public static final int MAX_RATER_CHARS = 320;
  public static final Pattern EXPERIMENT_ID = Pattern.compile("^exp_[0-9a-z]{6,40}$");

  /** One option's rating; {@code imageId} is optional, {@code comment} is null when empty. */
  public record Entry(String option, Long imageId, int rating, String comment) {
  }

  public RatingSubmission {
    ratings = List.copyOf(ratings);
  }

  /**
   * Parses and validates {@code body}. The rater is {@code rater} (the caller's account); only when
   * {@code bodyMayNameRater} (the operator's admin token) does the body's {@code rated_by} name it.
   */
  public static RatingSubmission parse(JsonObject body, String rater, boolean bodyMayNameRater) {
    if (body == null) {
      throw ApiError.badRequest("the body must be a JSON object");
    }
    Object id = body.getValue("experiment_id");
    if (!(id instanceof String experimentId) || !EXPERIMENT_ID.matcher(experimentId).matches()) {
      throw ApiError.badRequest("experiment_id must be a string like exp_1a2b3c");
    }
    Object list = body.getValue("ratings");
    if (!(list instanceof JsonArray array) || array.isEmpty()) {
      throw ApiError.badRequest("ratings must be a non-empty array");
    }
    if (array.size() > 2) {
      throw ApiError.badRequest("ratings may hold at most one entry per option (A and B)");
    }
    List<Entry> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw ApiError.badRequest("ratings[" + i + "] must be an object");
      }
      Entry entry = entry(item, i);
      if (!seen.add(entry.option())) {
        throw ApiError.badRequest("option " + entry.option() + " appears twice in ratings");
      }
      entries.add(entry);
    }
    return new RatingSubmission(experimentId, entries,
      bodyMayNameRater ? rater(body.getValue("rated_by"), rater) : rater);
  }

  private static Entry entry(JsonObject item, int index) {
    String where = "ratings[" + index + "].";
    Object option = item.getValue("option");
    if (!"A".equals(option) && !"B".equals(option)) {
      throw ApiError.badRequest(where + "option must be \"A\" or \"B\"");
    }
    Long imageId = null;
    Object image = item.getValue("image_id");
    if (image != null) {
      Long whole = wholeNumber(image);
      if (whole == null || whole <= 0) {
        throw ApiError.badRequest(where + "image_id must be a positive integer");
      }
      imageId = whole;
    }
    Long rating = wholeNumber(item.getValue("rating"));
    if (rating == null || rating < 1 || rating > 5) {
      throw ApiError.badRequest(where + "rating must be an integer from 1 to 5");
    }
    Object comments = item.getValue("comments");
    if (comments != null && !(comments instanceof String)) {
      throw ApiError.badRequest(where + "comments must be a string");
    }
    String comment = comments == null ? null : ((String) comments).strip();
    if (comment != null && comment.length() > MAX_COMMENT_CHARS) {
      throw ApiError.badRequest(where + "comments may hold at most " + MAX_COMMENT_CHARS + " characters");
    }
    return new Entry((String) option, imageId, rating.intValue(), comment == null || comment.isEmpty() ? null : comment);
  }

  /** The value as a whole number, or null when it is not a JSON number without a fractional part. */
  private static Long wholeNumber(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number n) {
      try {
        return new BigDecimal(n.toString()).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static String rater(Object value, String defaultRater) {
    if (value == null) {
      return defaultRater;
    }
    if (!(value instanceof String s) || s.isBlank() || s.strip().length() > MAX_RATER_CHARS) {
      throw ApiError.badRequest("rated_by must be a non-empty string of at most " + MAX_RATER_CHARS + " characters");
    }
    return s.strip();
  }
}
