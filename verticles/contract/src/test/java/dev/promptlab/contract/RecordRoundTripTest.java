package dev.promptlab.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every record of the contract survives {@code fromJson(toJson())} through encoded JSON text, as on a wire. The
 * records are found by scanning the package, so a record added without a sample here fails this test.
 */
class RecordRoundTripTest {

  private static final GenerationParameters POINT = new GenerationParameters("leonardo", 0.28, 7.2, 0.89);
  private static final PromptText PROMPT = new PromptText("a bright room", "blurry");
  private static final PromptAssignment ASSIGNMENT = new PromptAssignment("v1.0.1", PROMPT,
    new PromptText("a bright room, photo", null), 7L);
  private static final PromptDecided DECIDED = new PromptDecided(12, "ab_test", 3L, "v1.0.0", "v1.0.1", "promoted",
    new JsonObject().put("margin", 0.4), "system", "the candidate won", "2026-01-02T03:04:05Z");
  private static final RatedOption RATED = new RatedOption(31, "A", POINT, "v1.0.0", null, 4, "bien", "t@example.com");
  private static final EvolutionRun RUN = new EvolutionRun(5, "manual", "succeeded", "v1.0.0", "v1.0.1", "offline",
    "offline-rules", 120, 3.4, new JsonArray().add(new JsonObject().put("kind", "too_dark")),
    new JsonObject().put("improved_prompt", "a brighter room"), null, "admin@example.com", "2026-01-02T03:04:05Z",
    "2026-01-02T03:04:07Z", 3L);
  private static final AbTest AB_TEST = new AbTest(3, 5L, "v1.0.0", "v1.0.1", "decided", 30, 61,
    new AbTestArm(30, 3.4, 0.8), new AbTestArm(31, 3.9, null), "promoted", new JsonObject().put("p_value", 0.02),
    "2026-01-02T03:04:07Z", "2026-01-03T03:04:07Z");
  private static final VersionPerformance PERFORMANCE = new VersionPerformance(3.9, 31, 0.6, "2026-01-03T03:04:07Z");
  private static final StoredImage STORED = new StoredImage(41, "pub-41", "/images/pub-41", "image/png", 320, 240);

  private static final DatasetSummary DATASET = new DatasetSummary(9, "capitals", "jsonl", 40, 32, 8, 1, 0.2,
    -4_611_686_018_427_387_904L, "t@example.com", "2026-01-02T03:04:05Z");
  private static final TextPrompt TEXT_PROMPT = new TextPrompt(4, "extraction", 2, "You extract names.",
    "Answer with the name only.", 2, "t@example.com", "2026-01-02T03:04:05Z", "2026-01-03T03:04:05Z");

  private static final TextRunSettings RUN_SETTINGS = new TextRunSettings(9, 4, "json_schema",
    new JsonObject().put("json_schema", new JsonObject().put("type", "object")), 0.85, 2, 6, 4, 1.5, 0.02);
  private static final TextRunProgress RUN_PROGRESS = new TextRunProgress("candidates", 7, 16);
  private static final TextRunIteration RUN_ITERATION = new TextRunIteration(1, 2,
    new JsonObject().put("json_schema", 0.5), 0.0125, 5400,
    List.of(new TextRunCandidate(3, new JsonObject().put("json_schema", 0.75), 0.2, true, true),
      new TextRunCandidate(4, null, 0.05, false, false)),
    List.of(new TextRunFailure("q7", "Lyon?", "{\"city\":\"Lyon\"}", "Lyon", 0.0)));
  private static final TextRun TEXT_RUN = new TextRun(17, TextRun.STOPPED, "patience", RUN_SETTINGS, 0.0125, 5400,
    new TextRunProgress("finished", 0, 0), List.of(RUN_ITERATION),
    new TextRunBest(3, new JsonObject().put("json_schema", 0.75)), null, "t@example.com", "2026-01-02T03:04:05Z",
    "2026-01-02T03:09:05Z");

  /** One sample of every record, each with its optional fields set where it has them. */
  private static final List<Object> SAMPLES = List.of(
    POINT, PROMPT, ASSIGNMENT, DECIDED, RATED, STORED,
    RUN, AB_TEST, PERFORMANCE,
    new AbTestArm(0, null, null),
    new AbTests(List.of(AB_TEST)),
    new AbTestsRequest("running", 30),
    new EvolutionRuns(List.of(RUN)),
    new EvolutionStatus("v1.0.1", "2026-01-02T03:04:05Z", 150, 131, 3.9, "offline", RUN, AB_TEST),
    new EvolutionStatus("v1.0.0", null, 50, 0, null, "offline", null, null),
    new PromptDecisions(List.of(DECIDED)),
    new PromptVersionDocument("v1.0.1", "2026-01-02T03:04:07Z", "evolution", "v1.0.0",
      new JsonObject().put("prompt", "a bright room").put("negative_prompt", "blurry").put("init_strength", 0.3),
      new JsonObject().put("prompt", "a bright room, photo").put("strength", 0.4), PERFORMANCE,
      new JsonObject().put("tags", new JsonArray().add("bright")), true),
    new PromptVersions(List.of(new PromptVersionSummary("v1.0.1", "v1.0.0", "2026-01-02T03:04:07Z", "evolution",
      "brighter rooms", List.of("bright"), true, PERFORMANCE))),
    new PromptVersionSummary("v1.0.0", null, "2026-01-01T00:00:00Z", "seed", null, List.of(), false,
      new VersionPerformance(null, 0, null, null)),
    new VersionDiff("v1.0.0", "v1.0.1", "parent", new JsonObject().put("prompt", new JsonObject().put("changed", true)),
      new JsonObject().put("settings", new JsonObject())),
    new AssignReply(List.of(ASSIGNMENT, ASSIGNMENT)),
    new AssignRequest("structure", 2),
    new DecisionReply("v1.0.1", "v1.0.0", DECIDED),
    new Deployments(Map.of("http", "id-1", "optimizer", "id-2")),
    new ClusterStatus("node-a", List.of("node-a", "node-b"), Map.of("optimizer", "node-b"),
      List.of("evolution", "optimizer")),
    new DiffRequest("v1.0.0", "v1.0.1"),
    new EvolutionFinished(5, "manual", "succeeded", "offline", "v1.0.0", "v1.0.1", null),
    new EvolveRequest("admin@example.com"),
    new ExperimentCreated("exp_1", "structure", 2, 0, SuggestReply.GP_EI),
    new GenerateRequest(41, "surfaces", POINT, PROMPT, "v1.0.0", -9),
    new GeneratedImage(STORED, "local", 120, POINT),
    new GenerationFinished("leonardo", "structure", GenerationFinished.FAILURE, "timeout", 1500),
    new ImageReadRequest(41),
    new ImageFeatures(1, Map.of("ssim", 0.91, "noise_sigma", 0.02), "clip.onnx (224x224)", List.of(0.5, -0.25)),
    new ImageFeatures(1, Map.of("ssim", 0.91), null, null),
    new PredictRatingRequest(42, 41, POINT, "v1.2.0", "t@example.com"),
    new PredictRatingRequest(42, 41, POINT, null, null),
    new PredictedRating(3.8, 0.6, 2, true),
    new RetrainRequest("admin@example.com"),
    new CalibrationBin(3.5, 4.0, 7, 3.71, 3.86),
    new RewardProgress(20, 1, 37),
    new ActivationVerdict("mae_not_better", 0.73, 0.72),
    new RewardModelSummary(2, "2026-01-02T03:04:05Z", true, "active", 80, 20, 0.5, 0.8, 0.55, 0.7, 25, 0.84,
      List.of(new CalibrationBin(2.0, 2.5, 3, 2.3, 2.0), new CalibrationBin(4.5, 5.0, 2, 4.6, 5.0)),
      new ActivationVerdict("active", 0, 0)),
    new RewardModels(List.of(new RewardModelSummary(2, "2026-01-02T03:04:05Z", true, "active", 80, 20, 0.5, 0.8,
      0.55, 0.7, 25, 0.84, List.of(), null))),
    new RewardStatus(false, 12, new RewardModelSummary(1, "2026-01-02T03:04:05Z", false,
      "collecting data: 12 rated variants", 10, 2, null, null, null, null, null, null, List.of(),
      new ActivationVerdict("too_few_rows", 9, 10)), "collecting data: 12 rated "
      + "variants", null, 3),
    new RewardStatus(false, 0, null, "collecting data: 0 rated variants", null, 0),
    new ListRequest(50),
    NoArguments.INSTANCE,
    new Observation(POINT, 4.0, "t@example.com"),
    new OptimizerFallback("structure", "optimizer_timeout"),
    new Phase1Override("surfaces", true),
    PingReply.OK,
    new PromoteRequest("v1.0.1", "admin@example.com", "it reads better"),
    new ProviderCircuitChanged("leonardo", ProviderCircuitChanged.HALF_OPEN),
    new RatingsRecorded("exp_1", "structure", List.of(RATED), 3),
    new RedeployRequest("optimizer"),
    new Redeployed("optimizer", "id-3", "2026-01-02T03:04:05Z"),
    new StoreImageRequest(Buffer.buffer(new byte[] {1, 2, 3, (byte) 0xff}), "room.png", "p-1", "visit-2"),
    new StoreImportedRequest(Buffer.buffer(new byte[] {1, 2}), "a.png", Buffer.buffer(new byte[] {3}), "b.jpg",
      new JsonObject().put("import_id", 3).put("row", 2)),
    new StoredImportedPair(STORED, STORED),
    new StatusRequest("surfaces", 31),
    new StudyStatus("surfaces", 3, 3.5, 0.2, 47, false, null, POINT, "gp", 3.1, 3.9, 3.6, 2, "needs more",
      List.of(new BestSetting(POINT, 3.5, 3.1, 3.9, 2, 3.6)), 7),
    new BestSetting(POINT, 2.5, 1.0, 4.0, 0, null),
    new LearnedParameters("structure", POINT, 50, 4, 4.2, 3.6, 4.8, 4.25, "samples", "2026-01-02T03:04:05Z"),
    new ProductionParameters("structure", "v1.0.2", POINT,
      new LearnedParameters("structure", POINT, 50, 4, 4.2, 3.6, 4.8, null, "rating", "2026-01-02T03:04:05Z")),
    new ProductionParameters("surfaces", "v1.0.0", POINT, null),
    new ProductionParametersRequest("surfaces", "leonardo"),
    new SuggestReply(List.of(POINT), SuggestReply.RANDOM_FALLBACK, "optimizer_timeout"),
    new SuggestRequest("structure", 2),
    new VersionRequest("v1.0.1"),
    DATASET,
    new DatasetUpload("capitals", "capitals.jsonl", DatasetUpload.JSONL, 0.25,
      Buffer.buffer("{\"input\":\"France\",\"expected\":\"Paris\"}\n"), "t@example.com"),
    new DatasetUpload("capitals", null, null, null, Buffer.buffer(new byte[] {1}), null),
    new DatasetReport(DATASET, List.of(new RefusedRow(3, "expected is missing", "expected_missing", Map.of()))),
    new Datasets(List.of(DATASET)),
    new RefusedRow(7, "duplicate id q7 (first on line 2)", "duplicate_id",
      new java.util.LinkedHashMap<>(Map.of("id", "q7", "first_line", "2"))),
    new RefusedRow(9, "reported before refusals had codes", null, Map.of()),
    new RecordId(12, "t@example.com"),
    new TextPromptDraft(null, "extraction", "You extract names.", "", "t@example.com"),
    new TextPromptDraft(4L, null, "You extract names.", "Answer with the name only.", "admin"),
    new TextPromptSaved(4, 2, true),
    new TextPromptDeleted(4, 2),
    TEXT_PROMPT,
    new TextPrompts(List.of(TEXT_PROMPT)),
    new TextPromptVersion(1, "You extract names.", "", null, "manual", "t@example.com", "2026-01-02T03:04:05Z"),
    new TextPromptVersions(4, "extraction", List.of(new TextPromptVersion(2, "You extract names.",
      "Answer with the name only.", 1, "manual", "admin", "2026-01-03T03:04:05Z"))),
    RUN_SETTINGS,
    new TextRunSettings(9, 4, "exact_match", null, 0.9, 3, 10, 3, null, 0.01),
    new TextRunRequest(RUN_SETTINGS, "t@example.com"),
    new TextRunCreated(17, TextRun.QUEUED),
    RUN_PROGRESS,
    new TextRunFailure("12", "France", "Paris", "paris, France", 0.5, "It names the country too."),
    new TextRunCandidate(5, null, null, false, false),
    RUN_ITERATION,
    new TextRunIteration(2, 3, new JsonObject().put("json_schema", 0.75), 0, 0, List.of(), List.of()),
    new TextRunBest(3, new JsonObject().put("json_schema", 0.75)),
    TEXT_RUN,
    new TextRun(18, TextRun.QUEUED, null, RUN_SETTINGS, 0, 0, new TextRunProgress("queued", 0, 0), List.of(), null,
      null, "t@example.com", "2026-01-02T03:04:05Z", null),
    new TextRuns(List.of(TEXT_RUN)),
    new TextRunPromoted(17, 4, 3, 2),
    new TextRunChanged(17, TextRun.RUNNING, TextRun.QUEUED, null, RUN_PROGRESS, 1, 0.01, 4000, 0.5),
    new TextRunChanged(17, TextRun.QUEUED, null, null, new TextRunProgress("queued", 0, 0), 0, 0, 0, null),
    new TextoptModelCalled(TextoptModelCalled.TASK, TextoptModelCalled.ANSWERED, true, 120, 8, 0.0));

  @Test
  void everyRecordSurvivesItsJsonThroughText() throws Exception {
    for (Object sample : SAMPLES) {
      Class<?> type = sample.getClass();
      JsonObject json = (JsonObject) type.getMethod("toJson").invoke(sample);
      Object back = type.getMethod("fromJson", JsonObject.class).invoke(null, new JsonObject(json.encode()));
      assertEquals(sample, back, type.getSimpleName());
    }
  }

  @Test
  void everyRecordOfThePackageHasASampleAndBothMappings() throws Exception {
    Set<String> sampled = SAMPLES.stream().map(s -> s.getClass().getSimpleName())
      .collect(Collectors.toCollection(TreeSet::new));
    Set<String> records = new TreeSet<>();
    for (Class<?> type : contractClasses()) {
      if (type.isRecord() && java.lang.reflect.Modifier.isPublic(type.getModifiers())) {
        records.add(type.getSimpleName());
        Method toJson = type.getMethod("toJson");
        Method fromJson = type.getMethod("fromJson", JsonObject.class);
        assertEquals(JsonObject.class, toJson.getReturnType(), type + ".toJson");
        assertEquals(type, fromJson.getReturnType(), type + ".fromJson");
      }
    }
    assertTrue(records.size() >= 30, "the scan found the records: " + records);
    assertEquals(records, sampled, "every contract record has a sample in this test");
  }

  private static List<Class<?>> contractClasses() throws IOException, URISyntaxException {
    Path root = Path.of(Addresses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path folder = root.resolve(Addresses.class.getPackageName().replace('.', '/'));
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString())
        .filter(name -> name.endsWith(".class") && !name.contains("$"))
        .map(name -> load(Addresses.class.getPackageName() + "." + name.substring(0, name.length() - 6)))
        .collect(Collectors.toList());
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
