package dev.promptlab.http.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowValidatorTest {

  private final RowValidator validator = new RowValidator(Set.of("v1.0.0"), Set.of("renders/a.png", "b.png"));

  private static Map<String, Object> valid() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("original_image", "./renders/a.png");
    fields.put("enhanced_image", "b.png");
    fields.put("api", "leonardo");
    fields.put("strength", "0.3");
    fields.put("guidance_scale", 7.5);
    fields.put("control_weight", "0.9");
    fields.put("prompt_version", "v1.0.0");
    fields.put("rating", "4");
    return fields;
  }

  private RowValidator.Checked check(Map<String, Object> fields) {
    return validator.check(new Manifest.ManifestRow(7, fields));
  }

  @Test
  void aValidRowWithTheSeedsNamesAndDefaults() {
    Map<String, Object> fields = valid();
    fields.remove("strength");
    fields.put("init_strength", "0.25");
    fields.remove("control_weight");
    fields.put("controlnet_weight", 0.8);
    fields.put("comment", " warm light ");
    fields.put("rated_at", "2024-03-01T10:15:00+01:00");
    fields.put("unknown_column", "kept out");
    RowValidator.Checked checked = check(fields);
    assertEquals(List.of(), checked.refusals());
    ImportRow row = checked.row();
    assertEquals("renders/a.png", row.originalPath());
    assertEquals("structure", row.mode());
    assertEquals(0.25, row.parameters().strength());
    assertEquals(0.8, row.parameters().controlWeight());
    assertEquals("warm light", row.comment());
    assertEquals(4, row.rating());
    assertNull(row.ratedBy());
    assertEquals(OffsetDateTime.parse("2024-03-01T09:15:00Z").toInstant(), row.ratedAt().toInstant());
  }

  @Test
  void everyFaultOfARowIsReportedWithItsFieldAndCode() {
    Map<String, Object> fields = valid();
    fields.remove("api");
    fields.put("rating", "6");
    fields.put("guidance_scale", "13");
    fields.put("strength", "a lot");
    fields.put("prompt_version", "v9.9.9");
    fields.put("enhanced_image", "missing.png");
    fields.put("mode", "kitchen");
    fields.put("rated_at", "yesterday");
    fields.put("control_weight", "0.9");
    fields.put("controlnet_weight", "0.8");
    RowValidator.Checked checked = check(fields);
    assertNull(checked.row());
    assertEquals(List.of(
      "enhanced_image not_found", "api invalid_request", "mode invalid_request", "strength invalid_request",
      "guidance_scale invalid_request", "control_weight invalid_request", "prompt_version not_found",
      "rating invalid_request", "rated_at invalid_request"),
      checked.refusals().stream().map(r -> r.field() + " " + r.error()).toList());
    checked.refusals().forEach(r -> assertEquals(7, r.row()));
  }

  @Test
  void ratingsAreWholeStarsFromOneToFive() {
    for (String bad : List.of("0", "5.5", "six", "-1")) {
      Map<String, Object> fields = valid();
      fields.put("rating", bad);
      assertEquals("rating", check(fields).refusals().get(0).field(), bad);
    }
    Map<String, Object> fields = valid();
    fields.put("rating", 5.0);
    assertEquals(5, check(fields).row().rating());
  }

  @Test
  void unknownApiAndOutOfRangeParametersAreRefused() {
    Map<String, Object> fields = valid();
    fields.put("api", "midjourney");
    fields.put("control_weight", "0.995");
    assertEquals(List.of("api must be one of leonardo, stablediffusion, got midjourney",
      "control_weight must be in [0.7, 0.99], got 0.995"),
      check(fields).refusals().stream().map(Refusal::message).toList());
  }

  @Test
  void pathsStayInsideTheManifestsFolder() {
    assertEquals("a/b.png", RowValidator.normalisePath("a\\.\\b.png"));
    assertEquals("a/b.png", RowValidator.normalisePath("a//b.png"));
    for (String bad : List.of("/etc/passwd", "../b.png", "a/../../b.png", "C:\\x.png", " ", "./")) {
      assertThrows(IllegalArgumentException.class, () -> RowValidator.normalisePath(bad), bad);
    }
    Map<String, Object> fields = valid();
    fields.put("original_image", "../renders/a.png");
    assertEquals("original_image invalid_request", check(fields).refusals().stream()
      .map(r -> r.field() + " " + r.error()).findFirst().orElseThrow());
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    Map<String, Object> fields = valid();
    fields.put("prompt_version", "  ");
    fields.remove("original_image");
    assertEquals(List.of("original_image is required", "prompt_version is required"),
      check(fields).refusals().stream().map(Refusal::message).toList());
  }
}
