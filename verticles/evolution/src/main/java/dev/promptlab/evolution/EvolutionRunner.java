package dev.promptlab.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.EvolutionRun;
import dev.promptlab.evolution.analysis.CommentIssueAnalyzer;
import dev.promptlab.evolution.analysis.IssueAnalysis;
import dev.promptlab.evolution.llm.EvolutionProposal;
import dev.promptlab.evolution.llm.EvolutionRequest;
import dev.promptlab.evolution.llm.PromptEvolutionProvider;
import dev.promptlab.evolution.llm.ProposalGuard;
import dev.promptlab.evolution.llm.ProviderFailure;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionJson;
import dev.promptlab.evolution.store.PromptVersionStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out evolutions: gathers the parent version and the issues of its recent comments, asks the provider
 * for a proposal, guards it, writes the new version file and records the outcome (success with its A/B test,
 * refusal or failure) in a governed transaction. Every outcome is recorded and published.
 */
final class EvolutionRunner {

  private static final Logger LOG = LoggerFactory.getLogger(EvolutionRunner.class);
  private static final int MAX_RAW_KEPT = 4000;
  static final String INTERRUPTED_BY_STOP = "interrupted by a stop before its version was written";
  /** How long evolutions cut short at the end of the grace period may take to record that. */
  private static final long SETTLE_AFTER_GRACE_MS = 5_000;

  private final Vertx vertx;
  private final EvolutionSettings settings;
  private final PromptVersionStore store;
  private final EvolutionTables db;
  private final Governance governance;
  private final PromptEvolutionProvider provider;
  private final CommentIssueAnalyzer analyzer = new CommentIssueAnalyzer();
  // Confined to the verticle's event loop, like every continuation of an evolution.
  private final Set<Future<EvolutionRun>> inFlight = new LinkedHashSet<>();
  private boolean stopping;
  private boolean interrupted;

  EvolutionRunner(Vertx vertx, EvolutionSettings settings, PromptVersionStore store, EvolutionTables db,
                  Governance governance, PromptEvolutionProvider provider) {
    this.vertx = vertx;
    this.settings = settings;
    this.store = store;
    this.db = db;
    this.governance = governance;
    this.provider = provider;
  }

  /** A manual evolution (admin): refused while another runs or an A/B test is open; answers once it finished. */
  Future<EvolutionRun> evolveNow(String requestedBy) {
    if (stopping) {
      return Future.failedFuture(BusFailure.conflict("the evolution service is stopping; try again once it"
        + " has started again"));
    }
    return governance.governed("start an evolution", (conn, fx) -> db.evolutions().runningEvolution(conn)
      .compose(running -> {
        if (running.isPresent()) {
          return Future.failedFuture(BusFailure.conflict("evolution " + running.get().id()
            + " is already running"));
        }
        return db.abTests().lockOpenAbTest(conn).compose(open -> {
          if (open.isPresent()) {
            return Future.failedFuture(BusFailure.conflict("A/B test " + open.get().id() + " is "
              + open.get().status().replace('_', ' ') + "; decide it before evolving again"));
          }
          return db.versions().currentVersion(conn).compose(current -> db.evolutions().insertEvolution(conn, "manual",
              current.version(), provider.name(), provider.model(), fx.samples, current.avgRating(), requestedBy)
            .map(id -> new EvolutionStart(id, "manual", current.version(), fx.samples, current.avgRating(),
              current.sampleCount())));
        });
      })).compose(this::start);
  }

  /** Runs a recorded evolution, not awaited by the caller that recorded it; answers the evolution record. */
  Future<EvolutionRun> start(EvolutionStart start) {
    LOG.info("evolution {} started ({}, parent {}, at sample {})", start.id(), start.trigger(), start.parent(),
      start.atSample());
    return run(start).onFailure(e -> LOG.warn("evolution {} ended badly: {}", start.id(), e.getMessage()));
  }

  /** Input gathered for the provider. */
  private record Prepared(EvolutionRequest request, IssueAnalysis analysis, JsonArray issues) {
  }

  /**
   * Carries out a recorded evolution; every outcome is recorded; answers the evolution record. Tracked until it
   * settles, so a stop can wait for it; one that would start during a stop is recorded as interrupted instead.
   */
  Future<EvolutionRun> run(EvolutionStart start) {
    Future<EvolutionRun> run = stopping
      ? finish(start, "failed", null, new JsonArray(), null, INTERRUPTED_BY_STOP)
        .compose(done -> db.evolutions().evolution(start.id()))
      : carryOut(start);
    inFlight.add(run);
    return run.onComplete(done -> inFlight.remove(run));
  }

  private Future<EvolutionRun> carryOut(EvolutionStart start) {
    return prepare(start)
      .compose(prepared -> provider.propose(prepared.request())
        .transform(answer -> answer.succeeded() ? judge(start, prepared, answer.result())
          : finish(start, "failed", null, prepared.issues(), null,
            interrupted ? INTERRUPTED_BY_STOP : providerFailure(answer.cause()))))
      // Closing an evolution that is no longer running changes nothing, so this is safe after any failure.
      .recover(failure -> finish(start, "failed", null, new JsonArray(), null,
        "the evolution could not run: " + failure.getMessage()))
      .compose(done -> db.evolutions().evolution(start.id()))
      .onSuccess(record -> {
        LOG.info("evolution {} {}: {}", start.id(), record.status(),
          record.candidateVersion() != null ? record.candidateVersion() : record.reason());
        vertx.eventBus().publish(Addresses.EVENT_EVOLUTION_FINISHED, record.finished().toJson());
      });
  }

  /** From now on no evolution starts: a manual one is refused, a triggered one records itself as interrupted. */
  void stopAccepting() {
    stopping = true;
  }

  boolean stopping() {
    return stopping;
  }

  /**
   * Waits for the evolutions in flight: up to {@code graceMs} for them to finish, then the provider is closed and
   * each records itself as interrupted (bounded too). Never fails.
   */
  Future<Void> settled(long graceMs) {
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
    return db.ratings().recentComments(start.parent(), settings.analysis().window())
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
    return vertx.executeBlocking(() -> {
        PromptVersion parent = store.load(start.parent());
        return store.save(EvolvedVersion.of(parent, store.nextChildName(parent.version()), start, provider.name(),
          provider.model(), proposal, prepared.analysis().issues(), Instant.now()));
      })
      .transform(saved -> saved.succeeded()
        ? complete(start, saved.result(), prepared.issues(), proposal.toNode(), null)
        : finish(start, "failed", null, prepared.issues(), proposalJson(proposal),
          "the new version could not be written: " + saved.cause().getMessage()));
  }

  /**
   * Records a succeeded evolution: mirrors its version and starts the A/B test against the parent, unless the
   * current version changed meanwhile or another test is open.
   */
  Future<Void> complete(EvolutionStart start, PromptVersion version, JsonArray issues, JsonNode proposal,
                                String note) {
    return governance.governed("record evolution " + start.id(), (conn, fx) -> db.versions().mirrorOne(conn, version)
      .compose(done -> db.versions().currentVersion(conn))
      .compose(current -> db.abTests().lockOpenAbTest(conn).compose(open -> {
        boolean testable = current.version().equals(start.parent()) && open.isEmpty();
        String reason = testable ? note : (note == null ? "" : note + "; ") + (open.isPresent()
          ? "no A/B test: test " + open.get().id() + " is open"
          : "no A/B test: the current version became " + current.version() + " during the evolution");
        return db.evolutions().finishEvolution(conn, start.id(), "succeeded", version.name(), issues,
            new JsonObject(PromptVersionJson.toCompactString(proposal)), reason)
          .compose(finished -> {
            if (!finished) {
              return Future.failedFuture(BusFailure.conflict("evolution " + start.id() + " is no longer running"));
            }
            if (!testable) {
              fx.finishedAt(fx.samples);
              return Future.succeededFuture();
            }
            return db.abTests().insertAbTest(conn, start.id(), start.parent(), version.name(),
              settings.abTest().samplesPerArm()).map(id -> {
                LOG.info("A/B test {} started: {} against {}", id, version.name(), start.parent());
                return null;
              });
          });
      })));
  }

  Future<Void> finish(EvolutionStart start, String status, String candidate, JsonArray issues,
                              JsonObject proposal, String reason) {
    return governance.governed("record evolution " + start.id(), (conn, fx) -> db.evolutions()
        .finishEvolution(conn, start.id(), status, candidate, issues, proposal, reason)
      .map(finished -> {
        fx.finishedAt(fx.samples);
        return null;
      }));
  }

  private static JsonObject proposalJson(EvolutionProposal proposal) {
    return new JsonObject(PromptVersionJson.toCompactString(proposal.toNode()));
  }
}
