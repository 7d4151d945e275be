package dev.promptlab.evolution;

import dev.promptlab.contract.BusFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.AssignReply;
import dev.promptlab.contract.PromptAssignment;
import dev.promptlab.contract.PromptText;
import dev.promptlab.evolution.EvolutionQueries.AbTest;
import dev.promptlab.evolution.EvolutionQueries.CurrentVersion;
import dev.promptlab.evolution.EvolutionQueries.Decision;
import dev.promptlab.evolution.abtest.AbArms;
import dev.promptlab.evolution.abtest.AbTestDecision;
import dev.promptlab.evolution.abtest.ArmTally;
import dev.promptlab.evolution.analysis.CommentIssueAnalyzer;
import dev.promptlab.evolution.analysis.IssueAnalysis;
import dev.promptlab.evolution.llm.EvolutionProposal;
import dev.promptlab.evolution.llm.EvolutionRequest;
import dev.promptlab.evolution.llm.PromptEvolutionProvider;
import dev.promptlab.evolution.llm.ProposalGuard;
import dev.promptlab.evolution.llm.ProviderFailure;
import dev.promptlab.evolution.store.Performance;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionJson;
import dev.promptlab.evolution.store.PromptVersionName;
import dev.promptlab.evolution.store.PromptVersionStore;
import dev.promptlab.evolution.trigger.EvolutionTriggers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prompt evolution cycle: triggers → evolution (issue analysis, provider, guard, new version) → A/B test →
 * decision, plus admin promotion and rollback. Every change of the current version, an A/B test or an
 * evolution runs in a database transaction that first locks the evolution_state row ({@link #governed}), so
 * concurrent ratings cannot start two evolutions or decide a test twice. current.json is rewritten inside that
 * transaction, before the commit, and put back if the commit fails: the file and the database agree, and after
 * a crash the files win on the next start.
 */
final class EvolutionCycle {

  private static final Logger LOG = LoggerFactory.getLogger(EvolutionCycle.class);
  private static final String SYSTEM = "system";
  private static final int MAX_RAW_KEPT = 4000;
  static final String INTERRUPTED_BY_STOP = "interrupted by a stop before its version was written";
  /** How long evolutions cut short at the end of the grace period may take to record that. */
  private static final long SETTLE_AFTER_GRACE_MS = 5_000;

  private final Vertx vertx;
  private final EvolutionSettings settings;
  private final PromptVersionStore store;
  private final EvolutionQueries queries;
  private final PromptEvolutionProvider provider;
  private final CommentIssueAnalyzer analyzer = new CommentIssueAnalyzer();
  private final EvolutionTriggers.Settings triggers;
  private final AbTestDecision.Rule rule;
  // Confined to the verticle's event loop, like every continuation of the cycle.
  private final Set<Future<JsonObject>> inFlight = new LinkedHashSet<>();
  private final PendingRatings pendingRatings;
  private boolean stopping;
  private boolean interrupted;

  EvolutionCycle(Vertx vertx, EvolutionSettings settings, PromptVersionStore store, EvolutionQueries queries,
                 PromptEvolutionProvider provider) {
    this.vertx = vertx;
    this.settings = settings;
    this.store = store;
    this.queries = queries;
    this.provider = provider;
    EvolutionSettings.Triggers t = settings.triggers();
    this.triggers = new EvolutionTriggers.Settings(t.everySamples(), t.periodicBelow(), t.lowPerformanceAfter(),
      t.lowPerformanceBelow(), t.plateauSamples(), t.minSamplesBetween());
    EvolutionSettings.AbTest ab = settings.abTest();
    this.rule = new AbTestDecision.Rule(ab.samplesPerArm(), ab.minMargin(), ab.minProbability(), ab.minSd());
    // While stopping no pass starts: the ratings stay pending and the next start's catch-up pass applies them.
    this.pendingRatings = new PendingRatings(() -> stopping ? Future.succeededFuture()
      : governancePass("apply new ratings"));
  }

  /** An evolution that was recorded as running and is to be carried out. */
  record EvolutionStart(long id, String trigger, String parent, int atSample, Double parentAvg, int parentCount) {
  }

  /** What one governed transaction did, acted on after the commit. */
  private static final class Effects {
    EvolutionTriggers.State state;
    int samples;
    final List<JsonObject> decisions = new ArrayList<>();
    final Set<String> snapshot = new LinkedHashSet<>();
    String currentFileBefore;
    EvolutionStart started;
    boolean runStarted = true;

    void finishedAt(int sample) {
      state = new EvolutionTriggers.State(state.nextEvolutionAtSample(), state.bestAvgRating(), state.bestAtSample(),
        sample);
    }
  }

  // ================= governed transactions =================

  /** A committed governed transaction: its result and what is left to do after the commit. */
  private record Committed<T>(T result, Effects effects) {
  }

  /**
   * Runs {@code work} in a transaction that holds the evolution_state lock, then acts on its effects. A
   * transaction rolled back by a serialization failure or a deadlock runs again from scratch (fresh effects,
   * current.json put back first), a bounded number of times.
   */
  private <T> Future<T> governed(String what, BiFunction<SqlConnection, Effects, Future<T>> work) {
    return EvolutionQueries.storage(what, EvolutionQueries.retryingConflicts(what, () -> governedOnce(work)))
      .compose(committed -> afterCommit(committed.effects()).map(committed.result()));
  }

  private <T> Future<Committed<T>> governedOnce(BiFunction<SqlConnection, Effects, Future<T>> work) {
    Effects effects = new Effects();
    return queries.transaction(conn -> queries.lockState(conn)
        .compose(state -> {
          effects.state = state;
          return queries.samplesCollected(conn);
        })
        .compose(samples -> {
          effects.samples = samples;
          return work.apply(conn, effects);
        })
        .compose(result -> queries.updateState(conn, effects.state).map(new Committed<>(result, effects))))
      .recover(failure -> revertCurrentFile(effects).transform(done -> Future.<Committed<T>>failedFuture(failure)));
  }

  private Future<Void> revertCurrentFile(Effects effects) {
    if (effects.currentFileBefore == null) {
      return Future.succeededFuture();
    }
    String before = effects.currentFileBefore;
    return vertx.executeBlocking(() -> {
      store.setCurrent(PromptVersionName.parse(before));
      return null;
    }).<Void>mapEmpty().onFailure(e -> LOG.error("current.json could not be restored to {} after a failed"
      + " transaction; the next start makes the database follow the file", before, e));
  }

  /** Publishes the decisions, starts a triggered evolution (not awaited) and snapshots performance (awaited). */
  private Future<Void> afterCommit(Effects effects) {
    effects.decisions.forEach(d -> vertx.eventBus().publish(Addresses.EVENT_PROMPT_DECIDED, d));
    if (effects.started != null) {
      LOG.info("evolution {} started ({}, parent {}, at sample {})", effects.started.id(), effects.started.trigger(),
        effects.started.parent(), effects.started.atSample());
      if (effects.runStarted) {
        run(effects.started).onFailure(e -> LOG.warn("evolution {} ended badly: {}", effects.started.id(),
          e.getMessage()));
      }
    }
    return effects.snapshot.isEmpty() ? Future.succeededFuture() : snapshotPerformance(effects.snapshot);
  }

  /** Points the database and current.json at {@code to} (inside a governed transaction). */
  private Future<Void> switchCurrent(SqlConnection conn, Effects effects, String from, String to) {
    return queries.setCurrent(conn, to).compose(done -> vertx.executeBlocking(() -> {
      store.setCurrent(PromptVersionName.parse(to));
      return null;
    })).map(done -> {
      if (effects.currentFileBefore == null) {
        effects.currentFileBefore = from;
      }
      effects.snapshot.add(from);
      effects.snapshot.add(to);
      return null;
    });
  }

  private Future<JsonObject> decide(SqlConnection conn, Effects effects, Decision decision) {
    return queries.insertDecision(conn, decision).map(recorded -> {
      effects.decisions.add(recorded);
      LOG.info("prompt decision {}: {} {} → {} by {} ({})", recorded.getLong("id"), decision.kind(),
        decision.from(), decision.to(), decision.decidedBy(), decision.outcome());
      return recorded;
    });
  }

  // ================= after ratings =================

  /**
   * Applies the ratings not applied yet (whichever event announced them): one pass at a time, see
   * {@link PendingRatings}. A failed pass leaves its ratings pending for the next one.
   */
  Future<Void> afterRatings() {
    return pendingRatings.apply();
  }

  /**
   * Marks the pending ratings applied and refreshes the performance of the versions they rated, then tallies and
   * decides the A/B test and checks the triggers, all in one governed transaction: either every effect of a
   * rating is recorded together with its mark, or none is and the rating stays pending.
   */
  Future<Void> governancePass(String what) {
    return governed(what, (conn, fx) -> queries.claimPendingRatings(conn)
      .compose(claimed -> queries.refreshPerformance(conn, claimed.versions()))
      .compose(done -> queries.lockOpenAbTest(conn))
      .compose(open -> open.isPresent() && open.get().running() ? tallyAndDecide(conn, fx, open.get())
        : Future.succeededFuture(open.isPresent()))
      .compose(testOpen -> queries.runningEvolution(conn).map(running -> testOpen || running.isPresent()))
      .compose(busy -> queries.currentVersion(conn).compose(current -> {
        EvolutionTriggers.Outcome outcome = EvolutionTriggers.evaluate(triggers, fx.state,
          new EvolutionTriggers.Now(fx.samples, current.avgRating(), busy));
        fx.state = outcome.next();
        if (outcome.fired() == null) {
          return Future.<Void>succeededFuture();
        }
        return queries.insertEvolution(conn, outcome.fired().key(), current.version(), provider.name(),
            provider.model(), fx.samples, current.avgRating(), null)
          .map(id -> {
            fx.started = new EvolutionStart(id, outcome.fired().key(), current.version(), fx.samples,
              current.avgRating(), current.sampleCount());
            return null;
          });
      })));
  }

  /** Recounts the running test; when both arms are complete, decides it. Answers whether it is still open. */
  private Future<Boolean> tallyAndDecide(SqlConnection conn, Effects fx, AbTest test) {
    return queries.refreshTally(conn, test.id()).compose(tallies -> {
      ArmTally control = tallies[0];
      ArmTally candidate = tallies[1];
      if (!AbTestDecision.complete(rule, control, candidate)) {
        return Future.succeededFuture(true);
      }
      AbTestDecision.Verdict verdict = AbTestDecision.decide(rule, control, candidate);
      boolean promote = verdict.outcome() == AbTestDecision.Outcome.PROMOTE;
      JsonObject result = new JsonObject(verdict.statistics()).put("recommendation", promote ? "promote" : "keep")
        .put("reason", verdict.reason());
      fx.finishedAt(fx.samples);
      fx.snapshot.add(test.control());
      fx.snapshot.add(test.candidate());
      if (settings.abTest().requireReview()) {
        return queries.closeAbTest(conn, test.id(), "awaiting_review", null, result)
          .compose(done -> decide(conn, fx, new Decision("ab_test", test.id(), test.control(),
            promote ? test.candidate() : test.control(), "awaiting_review", result, SYSTEM,
            "review required; the rule recommends to " + (promote ? "promote " + test.candidate() : "keep "
              + test.control()) + ": " + verdict.reason())))
          .map(true);
      }
      Future<Void> apply = promote ? switchCurrent(conn, fx, test.control(), test.candidate())
        : Future.succeededFuture();
      return queries.closeAbTest(conn, test.id(), "decided", promote ? "promoted" : "kept",
          result.copy().put("decided_by", SYSTEM))
        .compose(done -> apply)
        .compose(done -> decide(conn, fx, new Decision("ab_test", test.id(), test.control(),
          promote ? test.candidate() : test.control(), promote ? "promoted" : "kept", result, SYSTEM,
          verdict.reason())))
        .map(false);
    });
  }

  // ================= evolution =================

  /** A manual evolution (admin): refused while another runs or an A/B test is open; answers once it finished. */
  Future<JsonObject> evolveNow(String requestedBy) {
    if (stopping) {
      return Future.failedFuture(BusFailure.conflict("the evolution service is stopping; try again once it"
        + " has started again"));
    }
    return governed("start an evolution", (conn, fx) -> queries.runningEvolution(conn).compose(running -> {
      if (running.isPresent()) {
        return Future.failedFuture(BusFailure.conflict("evolution " + running.get().getLong("id")
          + " is already running"));
      }
      return queries.lockOpenAbTest(conn).compose(open -> {
        if (open.isPresent()) {
          return Future.failedFuture(BusFailure.conflict("A/B test " + open.get().id() + " is "
            + open.get().status().replace('_', ' ') + "; decide it before evolving again"));
        }
        return queries.currentVersion(conn).compose(current -> queries.insertEvolution(conn, "manual",
            current.version(), provider.name(), provider.model(), fx.samples, current.avgRating(), requestedBy)
          .map(id -> {
            fx.started = new EvolutionStart(id, "manual", current.version(), fx.samples, current.avgRating(),
              current.sampleCount());
            fx.runStarted = false;
            return fx.started;
          }));
      });
    })).compose(this::run);
  }

  /** Input gathered for the provider. */
  private record Prepared(EvolutionRequest request, IssueAnalysis analysis, JsonArray issues) {
  }

  /**
   * Carries out a recorded evolution; every outcome is recorded; answers the evolution record. Tracked until it
   * settles, so a stop can wait for it; one that would start during a stop is recorded as interrupted instead.
   */
  Future<JsonObject> run(EvolutionStart start) {
    Future<JsonObject> run = stopping
      ? finish(start, "failed", null, new JsonArray(), null, INTERRUPTED_BY_STOP)
        .compose(done -> queries.evolution(start.id()))
      : carryOut(start);
    inFlight.add(run);
    return run.onComplete(done -> inFlight.remove(run));
  }

  private Future<JsonObject> carryOut(EvolutionStart start) {
    return prepare(start)
      .compose(prepared -> provider.propose(prepared.request())
        .transform(answer -> answer.succeeded() ? judge(start, prepared, answer.result())
          : finish(start, "failed", null, prepared.issues(), null,
            interrupted ? INTERRUPTED_BY_STOP : providerFailure(answer.cause()))))
      // Closing an evolution that is no longer running changes nothing, so this is safe after any failure.
      .recover(failure -> finish(start, "failed", null, new JsonArray(), null,
        "the evolution could not run: " + failure.getMessage()))
      .compose(done -> queries.evolution(start.id()))
      .onSuccess(record -> {
        LOG.info("evolution {} {}: {}", start.id(), record.getString("status"),
          record.getString("candidate_version") != null ? record.getString("candidate_version")
            : record.getString("reason"));
        vertx.eventBus().publish(Addresses.EVENT_EVOLUTION_FINISHED, new JsonObject().put("id", start.id())
          .put("trigger", record.getString("trigger")).put("status", record.getString("status"))
          .put("provider", record.getString("provider")).put("parent_version", record.getString("parent_version"))
          .put("candidate_version", record.getString("candidate_version")).put("reason", record.getString("reason")));
      });
  }

  /**
   * Stops accepting evolutions and waits for the ones in flight: up to {@code graceMs} for them to finish, then
   * the provider is closed and each records itself as interrupted (bounded too). Completes once nothing of the
   * cycle needs the database any more, or when the bounds are spent; never fails.
   */
  Future<Void> stop(long graceMs) {
    stopping = true;
    // A rating pass in flight may still start an evolution, which records itself as interrupted: wait for it first.
    return pendingRatings.settled().compose(done -> evolutionsSettled(graceMs));
  }

  private Future<Void> evolutionsSettled(long graceMs) {
    if (inFlight.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> settled = Promise.promise();
    Future.join(List.copyOf(inFlight)).onComplete(done -> settled.tryComplete());
    long grace = vertx.setTimer(Math.max(1, graceMs), id -> {
      LOG.warn("{} evolution(s) still running {} ms after the stop began; interrupting", inFlight.size(), graceMs);
      interrupted = true;
      provider.close();
      long settle = vertx.setTimer(SETTLE_AFTER_GRACE_MS, late -> {
        if (settled.tryComplete()) {
          LOG.warn("{} evolution(s) did not record their interruption; the next start records them", inFlight.size());
        }
      });
      settled.future().onComplete(done -> vertx.cancelTimer(settle));
    });
    return settled.future().onComplete(done -> vertx.cancelTimer(grace));
  }

  private String providerFailure(Throwable cause) {
    String message = cause instanceof ProviderFailure ? cause.getMessage()
      : "unexpected provider failure (" + cause.getClass().getSimpleName() + ")";
    return provider.name() + (provider.model() == null ? "" : " " + provider.model()) + ": " + message;
  }

  private Future<Prepared> prepare(EvolutionStart start) {
    return queries.recentComments(start.parent(), settings.analysis().window())
      .compose(comments -> vertx.executeBlocking(() -> {
        PromptVersion parent = store.load(start.parent());
        String systemPrompt = store.systemPrompt();
        IssueAnalysis analysis = analyzer.analyse(comments, settings.analysis().lowRatingMax(),
          settings.analysis().maxIssues());
        EvolutionRequest request = new EvolutionRequest(systemPrompt, parent.leonardo().prompt(),
          parent.leonardo().negativePrompt(), start.parentAvg(), start.parentCount(), analysis.issues());
        return new Prepared(request, analysis,
          new JsonArray(PromptVersionJson.toCompactString(EvolutionRequest.issuesNode(analysis.issues()))));
      }));
  }

  private Future<Void> judge(EvolutionStart start, Prepared prepared, String raw) {
    ProposalGuard.Verdict verdict = ProposalGuard.check(raw, prepared.request().currentPrompt(),
      prepared.request().currentNegativePrompt());
    if (verdict instanceof ProposalGuard.Refused refused) {
      String kept = raw == null ? "" : raw.length() <= MAX_RAW_KEPT ? raw : raw.substring(0, MAX_RAW_KEPT) + "…";
      return finish(start, "refused", null, prepared.issues(), new JsonObject().put("raw", kept),
        "the proposal was refused: " + refused.reason());
    }
    EvolutionProposal proposal = ((ProposalGuard.Accepted) verdict).proposal();
    return vertx.executeBlocking(() -> store.save(newVersion(start, prepared, proposal)))
      .transform(saved -> saved.succeeded()
        ? complete(start, saved.result(), prepared.issues(), proposal.toNode(), null)
        : finish(start, "failed", null, prepared.issues(), proposalJson(proposal),
          "the new version could not be written: " + saved.cause().getMessage()));
  }

  private PromptVersion newVersion(EvolutionStart start, Prepared prepared, EvolutionProposal proposal) {
    PromptVersion parent = store.load(start.parent());
    PromptVersionName name = store.nextChildName(parent.version());
    ObjectNode metadata = PromptVersionJson.MAPPER.createObjectNode();
    metadata.put("description", "Evolved from " + parent.name() + " by the " + provider.name() + " provider ("
      + start.trigger() + " trigger at sample " + start.atSample() + ")");
    metadata.putArray("tags").add("evolved").add(provider.name());
    metadata.put("evolution_id", start.id());
    metadata.put("trigger", start.trigger());
    metadata.put("at_sample", start.atSample());
    metadata.put("provider", provider.name());
    metadata.put("model", provider.model());
    if (start.parentAvg() == null) {
      metadata.putNull("parent_avg_rating");
    } else {
      metadata.put("parent_avg_rating", start.parentAvg());
    }
    JsonNode proposalNode = proposal.toNode();
    metadata.set("changes", proposalNode.get("changes"));
    metadata.put("reasoning", proposal.reasoning());
    metadata.put("expected_improvement", proposal.expectedImprovement());
    metadata.set("issues", EvolutionRequest.issuesNode(prepared.analysis().issues()));
    String leonardoNegative = proposal.improvedNegativePrompt() != null ? proposal.improvedNegativePrompt()
      : parent.leonardo().negativePrompt();
    String sdNegative = proposal.improvedNegativePrompt() != null ? proposal.improvedNegativePrompt()
      : parent.stableDiffusion().negativePrompt();
    return new PromptVersion(name, Instant.now().truncatedTo(ChronoUnit.MILLIS), "evolution:" + provider.name(),
      parent.version(), parent.leonardo().withPrompts(proposal.improvedPrompt(), leonardoNegative),
      parent.stableDiffusion().withPrompts(proposal.improvedPrompt(), sdNegative), Performance.NONE, metadata);
  }

  /**
   * Records a succeeded evolution: mirrors its version and starts the A/B test against the parent, unless the
   * current version changed meanwhile or another test is open.
   */
  private Future<Void> complete(EvolutionStart start, PromptVersion version, JsonArray issues, JsonNode proposal,
                                String note) {
    return governed("record evolution " + start.id(), (conn, fx) -> queries.mirrorOne(conn, version)
      .compose(done -> queries.currentVersion(conn))
      .compose(current -> queries.lockOpenAbTest(conn).compose(open -> {
        boolean testable = current.version().equals(start.parent()) && open.isEmpty();
        String reason = testable ? note : (note == null ? "" : note + "; ") + (open.isPresent()
          ? "no A/B test: test " + open.get().id() + " is open"
          : "no A/B test: the current version became " + current.version() + " during the evolution");
        return queries.finishEvolution(conn, start.id(), "succeeded", version.name(), issues,
            new JsonObject(PromptVersionJson.toCompactString(proposal)), reason)
          .compose(finished -> {
            if (!finished) {
              return Future.failedFuture(BusFailure.conflict("evolution " + start.id() + " is no longer running"));
            }
            if (!testable) {
              fx.finishedAt(fx.samples);
              return Future.succeededFuture();
            }
            return queries.insertAbTest(conn, start.id(), start.parent(), version.name(),
              settings.abTest().samplesPerArm()).map(id -> {
                LOG.info("A/B test {} started: {} against {}", id, version.name(), start.parent());
                return null;
              });
          });
      })));
  }

  private Future<Void> finish(EvolutionStart start, String status, String candidate, JsonArray issues,
                              JsonObject proposal, String reason) {
    return governed("record evolution " + start.id(), (conn, fx) -> queries.finishEvolution(conn, start.id(), status,
        candidate, issues, proposal, reason)
      .map(finished -> {
        fx.finishedAt(fx.samples);
        return null;
      }));
  }

  private static JsonObject proposalJson(EvolutionProposal proposal) {
    return new JsonObject(PromptVersionJson.toCompactString(proposal.toNode()));
  }

  // ================= start-up reconciliation =================

  /**
   * Makes the database consistent with the files after a start (possibly after a crash): records a sync decision
   * when current.json disagreed with the database, finishes an evolution a crash interrupted (its version file
   * exists: mirror it and start its A/B test; it does not: record the failure), cancels an A/B test whose control
   * is no longer current, then catches up on ratings that arrived while the verticle was down.
   */
  Future<Void> reconcile(List<PromptVersion> versions, String current, Optional<String> databaseBefore) {
    return queries.ensureState()
      .compose(done -> databaseBefore.filter(before -> !before.equals(current)).map(before ->
        governed("record the start-up sync", (conn, fx) -> decide(conn, fx, new Decision("sync", null, before, current,
          "synced", new JsonObject(), SYSTEM, "current.json names " + current + " while the database had " + before
            + ": the files win"))).<Void>mapEmpty()).orElse(Future.succeededFuture()))
      .compose(done -> queries.runningEvolution())
      .compose(running -> running.map(record -> resume(record, versions)).orElse(Future.succeededFuture()))
      .compose(done -> governed("check the open A/B test", (conn, fx) -> queries.lockOpenAbTest(conn)
        .compose(open -> open.filter(test -> !test.control().equals(current))
          .map(test -> cancel(conn, fx, test, current, SYSTEM, "the current version became " + current
            + " while the test was open")).orElse(Future.succeededFuture()))))
      .compose(done -> governancePass("catch up after start"));
  }

  private Future<Void> resume(JsonObject record, List<PromptVersion> versions) {
    long id = record.getLong("id");
    EvolutionStart start = new EvolutionStart(id, record.getString("trigger"), record.getString("parent_version"),
      record.getInteger("at_sample"), record.getDouble("parent_avg_rating"), 0);
    Optional<PromptVersion> written = versions.stream()
      .filter(v -> v.metadata().path("evolution_id").asLong(-1) == id).findFirst();
    if (written.isEmpty()) {
      LOG.warn("evolution {} was interrupted before its version was written", id);
      return finish(start, "failed", null, record.getJsonArray("issues", new JsonArray()), null,
        "interrupted by a restart before its version was written");
    }
    PromptVersion version = written.get();
    LOG.warn("evolution {} was interrupted after writing {}; completing it", id, version.name());
    ObjectNode proposal = PromptVersionJson.MAPPER.createObjectNode();
    proposal.put("improved_prompt", version.leonardo().prompt());
    proposal.set("changes", version.metadata().path("changes"));
    proposal.put("reasoning", version.metadata().path("reasoning").asText());
    proposal.put("expected_improvement", version.metadata().path("expected_improvement").asText());
    JsonArray issues = new JsonArray(PromptVersionJson.toCompactString(version.metadata().path("issues")
      .isArray() ? version.metadata().path("issues") : PromptVersionJson.MAPPER.createArrayNode()));
    return complete(start, version, issues, proposal, "completed after a restart");
  }

  private Future<Void> cancel(SqlConnection conn, Effects fx, AbTest test, String newCurrent, String by,
                              String reason) {
    JsonObject result = new JsonObject().put("control", test.json().getJsonObject("control"))
      .put("candidate", test.json().getJsonObject("candidate")).put("reason", reason).put("decided_by", by);
    fx.finishedAt(fx.samples);
    return queries.closeAbTest(conn, test.id(), "cancelled", null, result)
      .compose(done -> decide(conn, fx, new Decision("ab_test", test.id(), test.control(), newCurrent, "cancelled",
        result, by, "A/B test cancelled: " + reason)))
      .mapEmpty();
  }

  // ================= admin decisions =================

  /** Makes {@code version} current; resolves an open A/B test it belongs to, cancels any other. */
  Future<JsonObject> promote(PromptVersionName version, String by, String reason) {
    String target = version.toString();
    return vertx.executeBlocking(() -> store.load(version)).compose(loaded -> governed("promote " + target,
      (conn, fx) -> queries.currentVersion(conn).compose(current -> queries.lockOpenAbTest(conn).compose(open -> {
        String why = reason != null ? reason : "promoted by " + by;
        fx.finishedAt(fx.samples);
        if (current.version().equals(target)) {
          if (open.isPresent() && open.get().control().equals(target)) {
            AbTest test = open.get();
            JsonObject result = reviewResult(test, by, reason != null ? reason : "kept by " + by);
            return queries.closeAbTest(conn, test.id(), "decided", "kept", result)
              .compose(done -> decide(conn, fx, new Decision("ab_test", test.id(), test.control(), target, "kept",
                result, by, result.getString("reason"))))
              .map(decision -> reply(target, current.version(), decision));
          }
          return Future.failedFuture(BusFailure.conflict(target + " is already the current version"));
        }
        if (open.isPresent() && open.get().candidate().equals(target)) {
          AbTest test = open.get();
          JsonObject result = reviewResult(test, by, why);
          return queries.closeAbTest(conn, test.id(), "decided", "promoted", result)
            .compose(done -> switchCurrent(conn, fx, current.version(), target))
            .compose(done -> decide(conn, fx, new Decision("ab_test", test.id(), current.version(), target,
              "promoted", result, by, why)))
            .map(decision -> reply(target, current.version(), decision));
        }
        Future<Void> cancelled = open.map(test -> cancel(conn, fx, test, target, by, target + " was promoted"))
          .orElse(Future.succeededFuture());
        return cancelled.compose(done -> switchCurrent(conn, fx, current.version(), target))
          .compose(done -> decide(conn, fx, new Decision("promote", null, current.version(), target, "promoted",
            statistics(current), by, why)))
          .map(decision -> reply(target, current.version(), decision));
      }))));
  }

  /** Restores {@code version}, by default the version that was current before the current one (or its parent). */
  Future<JsonObject> rollback(PromptVersionName version, String by, String reason) {
    return governed("roll back", (conn, fx) -> queries.currentVersion(conn).compose(current ->
      (version != null ? Future.succeededFuture(version.toString())
        : queries.previousCurrent(conn, current.version()).compose(previous -> previous != null
          ? Future.succeededFuture(previous) : queries.parentOf(conn, current.version())))
        .compose(target -> {
          if (target == null) {
            return Future.failedFuture(BusFailure.conflict("there is no earlier version to roll back to from "
              + current.version()));
          }
          if (target.equals(current.version())) {
            return Future.failedFuture(BusFailure.conflict(target + " is already the current version"));
          }
          String why = reason != null ? reason : "rolled back by " + by;
          fx.finishedAt(fx.samples);
          return vertx.executeBlocking(() -> store.load(PromptVersionName.parse(target)))
            .compose(loaded -> queries.lockOpenAbTest(conn))
            .compose(open -> open.map(test -> cancel(conn, fx, test, target, by, "rolled back to " + target))
              .orElse(Future.succeededFuture()))
            .compose(done -> switchCurrent(conn, fx, current.version(), target))
            .compose(done -> decide(conn, fx, new Decision("rollback", null, current.version(), target,
              "rolled_back", statistics(current), by, why)))
            .map(decision -> reply(target, current.version(), decision));
        })));
  }

  private static JsonObject reviewResult(AbTest test, String by, String reason) {
    return new JsonObject().put("control", test.json().getJsonObject("control"))
      .put("candidate", test.json().getJsonObject("candidate")).put("decided_by", by).put("reason", reason);
  }

  private static JsonObject statistics(CurrentVersion current) {
    return new JsonObject().put("replaced_version", current.version()).put("replaced_avg_rating", current.avgRating())
      .put("replaced_sample_count", current.sampleCount());
  }

  private static JsonObject reply(String current, String previous, JsonObject decision) {
    return new JsonObject().put("current_version", current).put("previous_version", previous)
      .put("decision", decision);
  }

  // ================= assignment and status =================

  /** The prompt version of each of the next {@code count} samples: arms of the running A/B test, or the current. */
  Future<AssignReply> assign(int count) {
    return queries.claimSlots(count).compose(claim -> {
      if (claim.isEmpty()) {
        return queries.currentVersion().compose(current -> {
          PromptAssignment assignment = assignmentOf(current.version(), current.document(), null);
          List<PromptAssignment> list = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            list.add(assignment);
          }
          return queries.markUsed(List.of(current.version())).map(done -> new AssignReply(list));
        });
      }
      EvolutionQueries.ClaimedSlots slots = claim.get();
      return queries.documents(List.of(slots.control(), slots.candidate())).compose(documents -> {
        List<PromptAssignment> list = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
          String version = AbArms.armOf(slots.testId(), slots.first() + i) == AbArms.Arm.CANDIDATE
            ? slots.candidate() : slots.control();
          used.add(version);
          list.add(assignmentOf(version, documents.get(version), slots.testId()));
        }
        return queries.markUsed(used).map(done -> new AssignReply(list));
      });
    });
  }

  static PromptAssignment assignmentOf(String version, JsonObject document, Long abTestId) {
    JsonObject leonardo = document.getJsonObject("leonardo");
    JsonObject sd = document.getJsonObject("stablediffusion");
    return new PromptAssignment(version,
      new PromptText(leonardo.getString("prompt"), leonardo.getString("negative_prompt")),
      new PromptText(sd.getString("prompt"), sd.getString("negative_prompt")), abTestId);
  }

  /** The seed's prompt_evolution block plus what is in flight. */
  Future<JsonObject> status() {
    return queries.currentVersion().compose(current -> Future.all(queries.samplesCollected(), queries.state(),
        queries.lastEvolutionStart(), queries.runningEvolution(), queries.openAbTest())
      .map(all -> {
        EvolutionTriggers.State state = all.resultAt(1);
        Optional<JsonObject> running = all.resultAt(3);
        Optional<AbTest> open = all.resultAt(4);
        return new JsonObject()
          .put("current_version", current.version())
          .put("last_evolution", (String) all.resultAt(2))
          .put("next_evolution_at_sample", EvolutionTriggers.nextCheckpoint(triggers, state))
          .put("samples_collected", (Integer) all.resultAt(0))
          .put("current_avg_rating", current.avgRating())
          .put("provider", provider.name())
          .put("evolution_running", running.orElse(null))
          .put("ab_test", open.map(AbTest::json).orElse(null));
      }));
  }

  // ================= performance snapshots =================

  /** Copies live performance into the version files (and their mirrored documents); best effort, never fails. */
  private Future<Void> snapshotPerformance(Set<String> versions) {
    Future<Void> chain = Future.succeededFuture();
    for (String version : versions) {
      chain = chain.compose(done -> queries.versionSummary(version)).compose(summary -> {
        if (summary.isEmpty()) {
          return Future.succeededFuture();
        }
        JsonObject p = summary.get().getJsonObject("performance");
        Performance performance = new Performance(p.getDouble("avg_rating"), p.getInteger("sample_count"),
          p.getDouble("win_rate"), p.getString("last_used") == null ? null : Instant.parse(p.getString("last_used")));
        return vertx.executeBlocking(() -> store.recordPerformance(PromptVersionName.parse(version), performance))
          .compose(written -> queries.setDocumentPerformance(version, p));
      });
    }
    return chain.recover(e -> {
      LOG.warn("performance snapshot of {} not written: {}", versions, e.getMessage());
      return Future.succeededFuture();
    });
  }
}
