package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A/B tests, newest first ({@link Addresses#EVOLUTION_AB_TESTS}). */
public record AbTests(List<AbTest> abTests) {

  public AbTests {
    abTests = List.copyOf(abTests);
  }

  public JsonObject toJson() {
    return new JsonObject().put("ab_tests", ReplyFields.array(abTests, AbTest::toJson));
  }

  public static AbTests fromJson(JsonObject json) {
    return new AbTests(ReplyFields.list(json, "ab_tests", AbTest::fromJson));
  }
}
