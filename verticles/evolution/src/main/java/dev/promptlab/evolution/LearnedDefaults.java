package dev.promptlab.evolution;

import dev.promptlab.contract.BestSetting;
import dev.promptlab.contract.LearnedParameters;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.evolution.DecisionRows.Decision;
import dev.promptlab.evolution.learned.LearnedParameterRule;
import dev.promptlab.evolution.learned.LearnedVersion;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes what a study learned the parameters production uses: on a study update after phase 1, when
 * {@link LearnedParameterRule} says a write is due, a new patch version of the current prompt version holding the
 * learned parameters with their provenance ({@link LearnedVersion}) is written and made current, recorded as a
 * {@code learned_parameters} decision. Not while an evolution runs or an A/B test is open (the test's control and
 * the evolution's parent must stay current): the next update after them writes. Updates are handled one at a time.
 */
final class LearnedDefaults {

  private static final Logger LOG = LoggerFactory.getLogger(LearnedDefaults.class);
  static final String KIND = "learned_parameters";

  private final Vertx vertx;
  private final PromptVersionStore store;
  private final EvolutionTables db;
  private final Governance governance;
  private Future<?> lane = Future.succeededFuture();

  LearnedDefaults(Vertx vertx, PromptVersionStore store, EvolutionTables db, Governance governance) {
    this.vertx = vertx;
    this.store = store;
    this.db = db;
    this.governance = governance;
  }

  /** Writes {@code study}'s learned parameters when due; answers the new current version, if one was written. */
  Future<Optional<String>> studyUpdated(StudyStatus study) {
    Future<Optional<String>> next = lane.transform(previous -> apply(study));
    lane = next;
    return next;
  }

  private Future<Optional<String>> apply(StudyStatus study) {
    if (!study.phase1Complete() || study.bestPerApi().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    String now = Instant.now().toString();
    // Most updates after phase 1 change nothing: a look at the mirrored current version, without the lock, first.
    return db.versions().currentVersion().compose(current -> LearnedParameterRule.due(
        LearnedVersion.heldFor(current.document().getJsonObject("metadata"), study.study()), study, now).isEmpty()
      ? Future.succeededFuture(Optional.empty()) : write(study, now));
  }

  private Future<Optional<String>> write(StudyStatus study, String now) {
    return governance.governed("write the parameters learned by " + study.study(), (conn, fx) ->
      db.evolutions().runningEvolution(conn).compose(running -> db.abTests().lockOpenAbTest(conn).compose(open -> {
        if (running.isPresent() || open.isPresent()) {
          LOG.info("parameters learned by {} not written yet: {}", study.study(),
            open.isPresent() ? "A/B test " + open.get().id() + " is open" : "an evolution is running");
          return Future.succeededFuture(Optional.<String>empty());
        }
        return db.versions().currentVersion(conn).compose(current -> vertx.executeBlocking(() -> {
          PromptVersion parent = store.load(current.version());
          Optional<Map<String, LearnedParameters>> entries =
            LearnedParameterRule.due(LearnedVersion.heldFor(parent, study.study()), study, now);
          return entries.map(e -> store.save(LearnedVersion.of(parent, store.nextChildName(parent.version()), study, e,
            Instant.parse(now))));
        }).compose(written -> {
          if (written.isEmpty()) {
            return Future.succeededFuture(Optional.<String>empty());
          }
          PromptVersion version = written.get();
          return db.versions().mirrorOne(conn, version)
            .compose(done -> governance.switchCurrent(conn, fx, current.version(), version.name()))
            .compose(done -> governance.decide(conn, fx, new Decision(KIND, null, current.version(), version.name(),
              "promoted", statistics(study), "optimizer:" + study.study(), reason(study))))
            .map(decision -> {
              LOG.info("{} is current: {} with the parameters learned by {}", version.name(), current.version(),
                study.study());
              return Optional.of(version.name());
            });
        }));
      })));
  }

  private static String reason(StudyStatus study) {
    return "the " + study.study() + " study learned its best parameters from " + study.samples()
      + " ratings (phase 1 ended: " + study.phase1Reason() + ")";
  }

  private static JsonObject statistics(StudyStatus study) {
    JsonArray perApi = new JsonArray();
    for (BestSetting best : study.bestPerApi()) {
      perApi.add(best.toJson());
    }
    return new JsonObject().put("study", study.study()).put("samples", study.samples())
      .put("phase_1_reason", study.phase1Reason()).put("best_per_api", perApi);
  }
}
