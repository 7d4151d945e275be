package dev.promptlab.textopt;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.TextPrompt;
import dev.promptlab.contract.TextPromptDeleted;
import dev.promptlab.contract.TextPromptDraft;
import dev.promptlab.contract.TextPromptSaved;
import dev.promptlab.contract.TextPromptVersion;
import dev.promptlab.contract.TextPromptVersions;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of text prompts: the textopt verticle writes {@code textopt_prompts} and {@code textopt_prompt_versions}.
 * A version, once inserted, is never updated: a change is a new version whose parent is the version it changed.
 */
final class PromptStore {

  private static final String UNIQUE_VIOLATION = "23505";

  private static final String INSERT_PROMPT = "INSERT INTO textopt_prompts (name, current_version, created_by)"
    + " VALUES ($1, 1, $2) RETURNING id";

  private static final String INSERT_VERSION = "INSERT INTO textopt_prompt_versions (prompt_id, version,"
    + " system_prompt, output_prompt, parent_version, origin, created_by) VALUES ($1, $2, $3, $4, $5, 'manual', $6)";

  // The row lock orders concurrent changes of one prompt: each reads the version the previous one wrote. The prompt's
  // row is locked on its own and its versions read by the next statement: a statement that waited for the lock sees
  // the locked row as it is now, but joins and subqueries as they were when it started.
  private static final String LOCK_PROMPT = "SELECT name, current_version FROM textopt_prompts WHERE id = $1"
    + " AND deleted_at IS NULL FOR UPDATE";

  // The newest version may be newer than the current one: a run's candidates are versions not made current.
  private static final String CURRENT_STATE = "SELECT system_prompt, output_prompt, (SELECT max(version)"
    + " FROM textopt_prompt_versions WHERE prompt_id = $1) AS last_version FROM textopt_prompt_versions"
    + " WHERE prompt_id = $1 AND version = $2";

  private static final String MOVE_CURRENT = "UPDATE textopt_prompts SET current_version = $2, name = $3,"
    + " updated_at = now() WHERE id = $1";

  private static final String DELETE = "UPDATE textopt_prompts SET deleted_at = now() WHERE id = $1"
    + " AND deleted_at IS NULL RETURNING current_version";

  private static final String SELECT = "SELECT p.id, p.name, p.current_version, p.created_by, p.created_at,"
    + " (SELECT count(*) FROM textopt_prompt_versions c WHERE c.prompt_id = p.id)::int AS versions,"
    + " p.updated_at, v.system_prompt, v.output_prompt FROM textopt_prompts p JOIN textopt_prompt_versions v"
    + " ON v.prompt_id = p.id AND v.version = p.current_version WHERE p.deleted_at IS NULL";

  private static final String SELECT_ONE = SELECT + " AND p.id = $1";

  private static final String SELECT_LATEST = SELECT + " ORDER BY p.updated_at DESC, p.id DESC LIMIT $1";

  private static final String SELECT_VERSIONS = "SELECT version, system_prompt, output_prompt, parent_version,"
    + " origin, created_by, created_at FROM textopt_prompt_versions WHERE prompt_id = $1 ORDER BY version DESC";

  private final Pool pool;

  PromptStore(Pool pool) {
    this.pool = pool;
  }

  Future<TextPromptSaved> create(TextPromptDraft draft) {
    return pool.withTransaction(connection -> connection.preparedQuery(INSERT_PROMPT)
        .execute(Tuple.of(draft.name(), draft.requestedBy()))
        .compose(rows -> {
          long id = rows.iterator().next().getLong("id");
          return insertVersion(connection, id, 1, null, draft).map(new TextPromptSaved(id, 1, true));
        }))
      .recover(failure -> Future.failedFuture(nameTaken(failure, draft.name())));
  }

  /** A new version unless the state is the current one's; a new name alone renames without a version. */
  Future<TextPromptSaved> update(TextPromptDraft draft) {
    long id = draft.id();
    return pool.withTransaction(connection -> connection.preparedQuery(LOCK_PROMPT).execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(BusFailure.notFound("no text prompt " + id));
          }
          Row prompt = rows.iterator().next();
          int version = prompt.getInteger("current_version");
          return connection.preparedQuery(CURRENT_STATE).execute(Tuple.of(id, version)).compose(states -> {
            Row current = states.iterator().next();
            int last = current.getInteger("last_version");
            String name = draft.name() == null ? prompt.getString("name") : draft.name();
            boolean sameState = draft.systemPrompt().equals(current.getString("system_prompt"))
              && draft.outputPrompt().equals(current.getString("output_prompt"));
            if (sameState && name.equals(prompt.getString("name"))) {
              return Future.succeededFuture(new TextPromptSaved(id, version, false));
            }
            int next = sameState ? version : last + 1;
            Future<Void> inserted = sameState ? Future.succeededFuture()
              : insertVersion(connection, id, next, version, draft);
            return inserted.compose(v -> connection.preparedQuery(MOVE_CURRENT).execute(Tuple.of(id, next, name)))
              .map(new TextPromptSaved(id, next, !sameState));
          });
        }))
      .recover(failure -> Future.failedFuture(nameTaken(failure, draft.name())));
  }

  private static Future<Void> insertVersion(SqlConnection connection, long id, int version, Integer parent,
                                            TextPromptDraft draft) {
    return connection.preparedQuery(INSERT_VERSION).execute(Tuple.of(id, version, draft.systemPrompt(),
      draft.outputPrompt(), parent, draft.requestedBy())).mapEmpty();
  }

  private static Throwable nameTaken(Throwable failure, String name) {
    return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
      ? BusFailure.conflict("a text prompt named " + name + " exists already") : failure;
  }

  Future<TextPromptDeleted> delete(long id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
      ? Future.failedFuture(BusFailure.notFound("no text prompt " + id))
      : Future.succeededFuture(new TextPromptDeleted(id, rows.iterator().next().getInteger("current_version"))));
  }

  Future<TextPrompt> find(long id) {
    return pool.preparedQuery(SELECT_ONE).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
      ? Future.failedFuture(BusFailure.notFound("no text prompt " + id))
      : Future.succeededFuture(prompt(rows.iterator().next())));
  }

  Future<List<TextPrompt>> latest(int limit) {
    return pool.preparedQuery(SELECT_LATEST).execute(Tuple.of(limit)).map(rows -> {
      List<TextPrompt> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(prompt(row)));
      return list;
    });
  }

  Future<TextPromptVersions> versions(long id) {
    return find(id).compose(prompt -> pool.preparedQuery(SELECT_VERSIONS).execute(Tuple.of(id)).map(rows -> {
      List<TextPromptVersion> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(new TextPromptVersion(row.getInteger("version"), row.getString("system_prompt"),
        row.getString("output_prompt"), row.getInteger("parent_version"), row.getString("origin"),
        row.getString("created_by"), row.getOffsetDateTime("created_at").toInstant().toString())));
      return new TextPromptVersions(id, prompt.name(), list);
    }));
  }

  private static TextPrompt prompt(Row row) {
    return new TextPrompt(row.getLong("id"), row.getString("name"), row.getInteger("current_version"),
      row.getString("system_prompt"), row.getString("output_prompt"), row.getInteger("versions"),
      row.getString("created_by"), row.getOffsetDateTime("created_at").toInstant().toString(),
      row.getOffsetDateTime("updated_at").toInstant().toString());
  }
}
