package dev.promptlab.textopt.metrics;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Parses text as exactly one RFC 8259 JSON value: no comments, single quotes, NaN, leading zeros, trailing commas or
 * trailing content. A repeated key is allowed, as the RFC allows it (the last value counts). Jackson's default limits
 * on nesting depth (1000) and token sizes apply.
 */
final class StrictJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
    .build();

  private static final int MAX_REASON = 300;

  private StrictJson() {
  }

  /** Why a text is not one JSON value; the message is meant for people and for the optimizer model. */
  static final class NotJson extends Exception {

    NotJson(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Jackson quotes the offending token; a long one is cut so a reason stays readable. */
  private static String bounded(String message) {
    return message.length() <= MAX_REASON ? message : message.substring(0, MAX_REASON) + "…";
  }

  static JsonNode parse(String text) throws NotJson {
    if (text.isBlank()) {
      throw new NotJson("not valid JSON: the text is empty");
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // The original message without Jackson's source excerpt: the output itself is shown next to the reason.
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw new NotJson("not valid JSON: " + bounded(e.getOriginalMessage()) + where);
    }
  }
}
