package dev.promptlab.evolution;

import dev.promptlab.contract.AssignReply;
import dev.promptlab.contract.PromptAssignment;
import dev.promptlab.contract.PromptText;
import dev.promptlab.evolution.abtest.AbArms;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which prompt version each new sample uses: an arm of the running A/B test, or the current version. */
final class PromptAssigner {

  private final EvolutionTables db;

  PromptAssigner(EvolutionTables db) {
    this.db = db;
  }

  /** The prompt version of each of the next {@code count} samples: arms of the running A/B test, or the current. */
  Future<AssignReply> assign(int count) {
    return db.abTests().claimSlots(count).compose(claim -> {
      if (claim.isEmpty()) {
        return db.versions().currentVersion().compose(current -> {
          PromptAssignment assignment = assignmentOf(current.version(), current.document(), null);
          List<PromptAssignment> list = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            list.add(assignment);
          }
          return db.versions().markUsed(List.of(current.version())).map(done -> new AssignReply(list));
        });
      }
      AbTestRows.ClaimedSlots slots = claim.get();
      return db.versions().documents(List.of(slots.control(), slots.candidate())).compose(documents -> {
        List<PromptAssignment> list = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
          String version = AbArms.armOf(slots.testId(), slots.first() + i) == AbArms.Arm.CANDIDATE
            ? slots.candidate() : slots.control();
          used.add(version);
          list.add(assignmentOf(version, documents.get(version), slots.testId()));
        }
        return db.versions().markUsed(used).map(done -> new AssignReply(list));
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
}
