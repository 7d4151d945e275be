package dev.promptlab.evolution.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Maps {@link PromptVersion} to and from the seed's document shape. */
public final class PromptVersionJson {

  /** Shared, thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
    .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
    .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  private PromptVersionJson() {
  }

  public static ObjectNode toNode(PromptVersion v) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", v.name());
    root.put("created_at", v.createdAt().toString());
    root.put("created_by", v.createdBy());
    if (v.parentVersion() == null) {
      root.putNull("parent_version");
    } else {
      root.put("parent_version", v.parentVersion().toString());
    }
    root.set("leonardo", api(v.leonardo(), "init_strength", "controlnet_weight"));
    root.set("stablediffusion", api(v.stableDiffusion(), "strength", "controlnet_conditioning_scale"));
    root.set("performance", performance(v.performance()));
    root.set("metadata", v.metadata());
    return root;
  }

  private static ObjectNode api(ApiPromptSettings s, String strengthName, String controlName) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("prompt", s.prompt());
    node.put("negative_prompt", s.negativePrompt());
    node.put(strengthName, s.strength());
    node.put("guidance_scale", s.guidanceScale());
    node.put(controlName, s.controlWeight());
    return node;
  }

  public static ObjectNode performance(Performance p) {
    ObjectNode node = MAPPER.createObjectNode();
    if (p.avgRating() == null) {
      node.putNull("avg_rating");
    } else {
      node.put("avg_rating", p.avgRating());
    }
    node.put("sample_count", p.sampleCount());
    if (p.winRate() == null) {
      node.putNull("win_rate");
    } else {
      node.put("win_rate", p.winRate());
    }
    if (p.lastUsed() == null) {
      node.putNull("last_used");
    } else {
      node.put("last_used", p.lastUsed().toString());
    }
    return node;
  }

  /** Reads a document already checked by {@link PromptDocumentValidator}. */
  public static PromptVersion fromNode(JsonNode root) {
    JsonNode parent = root.path("parent_version");
    JsonNode perf = root.path("performance");
    return new PromptVersion(
      PromptVersionName.parse(root.path("version").asText(null)),
      instant(root, "created_at"),
      root.path("created_by").asText(),
      parent.isNull() || parent.isMissingNode() ? null : PromptVersionName.parse(parent.asText()),
      api(root.path("leonardo"), "init_strength", "controlnet_weight"),
      api(root.path("stablediffusion"), "strength", "controlnet_conditioning_scale"),
      new Performance(
        perf.path("avg_rating").isNumber() ? perf.path("avg_rating").asDouble() : null,
        perf.path("sample_count").asInt(0),
        perf.path("win_rate").isNumber() ? perf.path("win_rate").asDouble() : null,
        perf.path("last_used").isTextual() ? instant(perf, "last_used") : null),
      root.path("metadata").isObject() ? (ObjectNode) root.path("metadata") : MAPPER.createObjectNode());
  }

  private static ApiPromptSettings api(JsonNode node, String strengthName, String controlName) {
    return new ApiPromptSettings(node.path("prompt").asText(), node.path("negative_prompt").asText(),
      node.path(strengthName).asDouble(), node.path("guidance_scale").asDouble(), node.path(controlName).asDouble());
  }

  private static Instant instant(JsonNode parent, String field) {
    String text = parent.path(field).asText();
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT,
        field + " must be an ISO-8601 date-time with an offset, got " + PromptVersionName.quote(text));
    }
  }

  /** Pretty-printed UTF-8 with a final newline, the form the files are kept in. */
  public static byte[] toBytes(JsonNode node) {
    try {
      return (MAPPER.writer(PRINTER).writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  public static String toCompactString(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  /** Parses JSON text; a syntax error becomes {@link PromptStoreException.Reason#INVALID_DOCUMENT}. */
  public static JsonNode parse(byte[] content, String what) {
    try {
      JsonNode node = MAPPER.readTree(content);
      if (node == null || node.isMissingNode()) {
        throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, what + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT,
        what + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new PromptStoreException(PromptStoreException.Reason.IO_FAILED, "cannot read " + what, e);
    }
  }
}
