package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Readers of {@code rated_variants} keep a high-water mark of rating ids, which is only sound if a rating with a
 * smaller id can never become visible after one with a larger id. The rating transaction therefore waits for any
 * rating insert still in flight before it draws its own ids, so ids are drawn in commit order.
 */
class RatingIdOrderTest extends HttpTestBase {

  @Test
  void aRatingWaitsForARatingInsertInFlightAndGetsTheLargerId() throws Exception {
    String first = upload(pngWithAlpha(), "a.png", "image/png", "structure").bodyAsJsonObject().getString("experiment_id");
    String second = upload(pngWithAlpha(), "b.png", "image/png", "structure").bodyAsJsonObject().getString("experiment_id");
    try (Connection open = TestDatabase.connect(); Statement s = open.createStatement()) {
      open.setAutoCommit(false);
      // A rating insert in flight (its id drawn, not yet committed).
      long held;
      try (ResultSet rs = s.executeQuery("INSERT INTO ratings (option_id, rating, rated_by) SELECT id, 3,"
        + " 'other-instance@example.com' FROM experiment_options WHERE experiment_id = '" + first + "' AND option = 'A'"
        + " RETURNING id")) {
        rs.next();
        held = rs.getLong(1);
      }
      Future<HttpResponse<Buffer>> waiting = trainer(HttpMethod.POST, "/api/train/rate").sendJsonObject(new JsonObject()
        .put("experiment_id", second).put("ratings", new JsonArray().add(new JsonObject().put("option", "A").put("rating", 5))));
      Eventually.until("the rating transaction waits for the insert in flight", () -> TestDatabase.count(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'ratings'"
          + " AND NOT l.granted") == 1);
      assertFalse(waiting.isComplete(), "no answer while the earlier rating is uncommitted");
      open.commit();

      HttpResponse<Buffer> answered = await(waiting);
      assertEquals(200, answered.statusCode(), answered.bodyAsString());
      long later = TestDatabase.count("SELECT r.id FROM ratings r JOIN experiment_options o ON o.id = r.option_id"
        + " WHERE o.experiment_id = '" + second + "'");
      assertTrue(later > held, "the waiting rating drew its id after the open one committed: " + held + " < " + later);
    }
  }
}
