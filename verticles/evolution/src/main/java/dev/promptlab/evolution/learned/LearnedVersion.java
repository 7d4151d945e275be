package dev.promptlab.evolution.learned;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promptlab.contract.LearnedParameters;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.evolution.store.Performance;
import dev.promptlab.evolution.store.PromptStoreException;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionJson;
import dev.promptlab.evolution.store.PromptVersionName;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Learned parameters inside prompt versions: {@code metadata.learned_parameters.<mode>.<api>} holds a
 * {@link LearnedParameters} (the setting and its provenance). A version that takes new learned parameters is a new
 * patch version of the current one — same prompts, same API defaults, the parent's learned parameters of the other
 * mode kept — so history is never rewritten and a rollback restores the parameters production used before. Pure
 * logic, no Vert.x I/O.
 */
public final class LearnedVersion {

  /** The metadata key that holds the learned parameters, by mode, then by API. */
  public static final String METADATA_KEY = "learned_parameters";

  private LearnedVersion() {
  }

  /** What {@code metadata} (a version's metadata, as JSON) holds for {@code mode}, by API; empty when nothing. */
  public static Map<String, LearnedParameters> heldFor(JsonObject metadata, String mode) {
    Map<String, LearnedParameters> held = new LinkedHashMap<>();
    JsonObject all = metadata == null ? null : metadata.getJsonObject(METADATA_KEY);
    JsonObject byApi = all == null ? null : all.getJsonObject(mode);
    if (byApi != null) {
      byApi.forEach(entry -> held.put(entry.getKey(), LearnedParameters.fromJson((JsonObject) entry.getValue())));
    }
    return held;
  }

  /** The same for a stored version. */
  public static Map<String, LearnedParameters> heldFor(PromptVersion version, String mode) {
    return heldFor(metadataJson(version), mode);
  }

  /**
   * The child of {@code parent} called {@code name} holding {@code entries} (by API) as {@code study}'s learned
   * parameters.
   */
  public static PromptVersion of(PromptVersion parent, PromptVersionName name, StudyStatus study,
                                 Map<String, LearnedParameters> entries, Instant createdAt) {
    JsonObject learned = metadataJson(parent).getJsonObject(METADATA_KEY, new JsonObject()).copy();
    JsonObject byApi = new JsonObject();
    entries.forEach((api, parameters) -> byApi.put(api, parameters.toJson()));
    learned.put(study.study(), byApi);
    ObjectNode metadata = PromptVersionJson.MAPPER.createObjectNode();
    metadata.put("description", String.format(Locale.ROOT, "%s with the parameters the %s study learned from %d"
      + " ratings (phase 1 ended: %s)", parent.name(), study.study(), study.samples(), study.phase1Reason()));
    metadata.putArray("tags").add("learned-parameters").add(study.study());
    metadata.set(METADATA_KEY, node(learned));
    return new PromptVersion(name, createdAt.truncatedTo(ChronoUnit.MILLIS), "optimizer:" + study.study(),
      parent.version(), parent.leonardo(), parent.stableDiffusion(), Performance.NONE, metadata);
  }

  /** {@code metadata} with {@code parent}'s learned parameters carried over (an evolved child keeps them). */
  public static ObjectNode inherit(PromptVersion parent, ObjectNode metadata) {
    ObjectNode learned = (ObjectNode) parent.metadata().get(METADATA_KEY);
    if (learned != null) {
      metadata.set(METADATA_KEY, learned);
    }
    return metadata;
  }

  private static JsonObject metadataJson(PromptVersion version) {
    return new JsonObject(PromptVersionJson.toCompactString(version.metadata()));
  }

  private static ObjectNode node(JsonObject json) {
    try {
      return (ObjectNode) PromptVersionJson.MAPPER.readTree(json.encode());
    } catch (JsonProcessingException e) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT,
        "learned parameters could not be written: " + e.getOriginalMessage());
    }
  }
}
