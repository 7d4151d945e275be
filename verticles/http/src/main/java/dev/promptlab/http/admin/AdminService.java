package dev.promptlab.http.admin;

import dev.promptlab.contract.AbTests;
import dev.promptlab.contract.DecisionReply;
import dev.promptlab.contract.Deployments;
import dev.promptlab.contract.EvolutionRun;
import dev.promptlab.contract.EvolutionRuns;
import dev.promptlab.contract.EvolutionStatus;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.PromptVersionDocument;
import dev.promptlab.contract.PromptVersions;
import dev.promptlab.contract.Redeployed;
import dev.promptlab.contract.RewardModelSummary;
import dev.promptlab.contract.RewardModels;
import dev.promptlab.contract.RewardStatus;
import dev.promptlab.contract.VersionDiff;
import dev.promptlab.http.accounts.AccountRefused;
import dev.promptlab.http.accounts.AccountStore;
import dev.promptlab.http.accounts.NewAccount;
import dev.promptlab.http.accounts.PasswordChecks;
import dev.promptlab.http.accounts.PasswordHasher;
import dev.promptlab.http.accounts.Trainer;
import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.PathIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What admins do, shared by the admin JSON API and the admin pages: trainers, prompt versions
 * (list, diff, promote, roll back, evolve, A/B tests), phase-1 override and verticle redeploys.
 */
public final class AdminService {

  private static final Pattern VERSION = Pattern.compile("^v[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}$");
  private static final Pattern VERTICLE = Pattern.compile("^[a-z][a-z0-9-]{0,39}$");

  private final Neighbours neighbours;
  private final AccountStore accounts;
  private final PasswordChecks checks;
  private final PasswordHasher hasher;
  private final Set<String> adminEmails;

  /** {@code checks} runs the hashing of new accounts' passwords on its bounded pool. */
  public AdminService(Neighbours neighbours, AccountStore accounts, PasswordChecks checks, PasswordHasher hasher,
                      Set<String> adminEmails) {
    this.neighbours = neighbours;
    this.accounts = accounts;
    this.checks = checks;
    this.hasher = hasher;
    this.adminEmails = adminEmails;
  }

  public Future<JsonArray> trainers() {
    return accounts.trainers().map(list -> {
      JsonArray array = new JsonArray();
      list.forEach(t -> array.add(json(t)));
      return array;
    });
  }

  /** Creates a trainer account (hashing on a worker); 400 for an invalid email or weak password, 409 if taken. */
  public Future<JsonObject> addTrainer(String email, String password, String displayName, String createdBy) {
    return checks.run(() -> {
      try {
        return NewAccount.prepare(email, password, displayName, hasher);
      } catch (AccountRefused e) {
        throw ApiError.badRequest(e.getMessage()).withMessageKey(e.key());
      }
    }).compose(account -> accounts.create(account, createdBy)).map(this::json);
  }

  public Future<Void> setDisabled(String id, boolean disabled) {
    return PathIds.number(id, "trainer").compose(trainerId -> accounts.setDisabled(trainerId, disabled));
  }

  /** Renames an account; a blank name clears it. 400 over 200 characters, 404 for an unknown account. */
  public Future<Void> rename(String id, String displayName) {
    return PathIds.number(id, "trainer").compose(trainerId -> {
      String name = displayName == null || displayName.isBlank() ? null : displayName.strip();
      if (name != null && name.length() > 200) {
        return Future.failedFuture(ApiError.badRequest("the name can have at most 200 characters")
          .withMessageKey("name_too_long"));
      }
      return accounts.setDisplayName(trainerId, name);
    });
  }

  public Future<PromptVersions> versions() {
    return neighbours.promptVersions();
  }

  public Future<PromptVersionDocument> version(String version) {
    return checkVersion(version).compose(v -> neighbours.promptVersion(v));
  }

  public Future<VersionDiff> diff(String from, String to) {
    return checkVersion(from).compose(a -> checkVersion(to)).compose(b -> neighbours.promptDiff(from, to));
  }

  public Future<JsonObject> promote(String version, String by, String reason) {
    return checkVersion(version).compose(v -> neighbours.promote(v, by, reason == null || reason.isBlank()
      ? "promoted by hand" : reason.strip()).map(DecisionReply::toJson));
  }

  /** Rolls back to {@code version}, or (null/blank) to the version current before the current one. */
  public Future<JsonObject> rollback(String version, String by) {
    if (version == null || version.isBlank()) {
      return neighbours.rollback(null, by).map(DecisionReply::toJson);
    }
    return checkVersion(version).compose(v -> neighbours.rollback(v, by)).map(DecisionReply::toJson);
  }

  public Future<EvolutionRun> evolve(String by) {
    return neighbours.evolve(by);
  }

  public Future<AbTests> abTests() {
    return neighbours.abTests(20);
  }

  public Future<EvolutionRuns> evolutions() {
    return neighbours.evolutions(20);
  }

  public Future<JsonObject> phase1(String mode, boolean complete) {
    if (!ParameterSpace.isMode(mode)) {
      return Future.failedFuture(ApiError.badRequest("mode must be one of " + String.join(", ", ParameterSpace.MODES)));
    }
    return neighbours.phase1Override(mode, complete).map(status -> status.toJson());
  }

  /** Each mode's study status (null when the optimizer does not answer) and the deployed verticles. */
  public Future<JsonObject> overview() {
    List<Future<JsonObject>> studies = new ArrayList<>();
    ParameterSpace.MODES.forEach(mode -> studies.add(neighbours.studyStatus(mode).map(s -> s.toJson()).otherwiseEmpty()));
    Future<JsonObject> deployed = neighbours.deployments().map(Deployments::toJson).otherwiseEmpty();
    Future<JsonObject> evolution = neighbours.evolutionStatus().map(EvolutionStatus::toJson).otherwiseEmpty();
    List<Future<?>> every = new ArrayList<>(studies);
    every.add(deployed);
    every.add(evolution);
    return Future.all(every).map(all -> {
      JsonObject modes = new JsonObject();
      for (int i = 0; i < ParameterSpace.MODES.size(); i++) {
        modes.put(ParameterSpace.MODES.get(i), studies.get(i).result());
      }
      return new JsonObject().put("studies", modes).put("deployments", deployed.result())
        .put("evolution", evolution.result());
    });
  }

  /** Phase 2: the reward verticle's status and every trained model, newest first. */
  public Future<RewardStatus> rewardStatus() {
    return neighbours.rewardStatus();
  }

  public Future<RewardModels> rewardModels() {
    return neighbours.rewardModels();
  }

  public Future<RewardModelSummary> retrainReward(String by) {
    return neighbours.retrainReward(by);
  }

  public Future<JsonObject> redeploy(String verticle) {
    if (verticle == null || !VERTICLE.matcher(verticle).matches()) {
      return Future.failedFuture(ApiError.badRequest("the verticle name must be lower-case letters, digits and dashes"));
    }
    return neighbours.redeploy(verticle).map(Redeployed::toJson);
  }

  private static Future<String> checkVersion(String version) {
    return version != null && VERSION.matcher(version).matches() ? Future.succeededFuture(version)
      : Future.failedFuture(ApiError.badRequest("a version looks like v1.2.3"));
  }

  private JsonObject json(Trainer t) {
    return new JsonObject().put("id", t.id()).put("email", t.email()).put("display_name", t.displayName())
      .put("admin", adminEmails.contains(t.email())).put("disabled", t.disabled())
      .put("created_at", t.createdAt().toInstant().toString()).put("ratings", t.ratings())
      .put("ratings_today", t.ratingsToday())
      .put("last_rated_at", t.lastRatedAt() == null ? null : t.lastRatedAt().toInstant().toString());
  }
}
