package dev.promptlab.textopt.cache;

import dev.promptlab.llm.ChatResponse;
import dev.promptlab.llm.ResponseCache;
import dev.promptlab.llm.Usage;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The model answers of text-prompt optimisation runs, kept in {@code textopt_llm_cache} by request digest, so a
 * re-run costs nothing. A lookup counts its hit in the same statement, so the savings need no second write.
 */
public final class PgResponseCache implements ResponseCache {

  private static final String FIND = """
    UPDATE textopt_llm_cache SET hits = hits + 1, last_hit_at = now() WHERE digest = $1
    RETURNING content, finish_reason, answered_model, usage_reported, prompt_tokens, cached_prompt_tokens,
      completion_tokens, cost_usd""";
  // The first answer stored stays: two runs that raced on the same request got equally good answers.
  private static final String STORE = """
    INSERT INTO textopt_llm_cache (digest, model, content, finish_reason, answered_model, usage_reported,
      prompt_tokens, cached_prompt_tokens, completion_tokens, cost_usd)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (digest) DO NOTHING""";
  private static final String SAVINGS = """
    SELECT count(*) AS entries, coalesce(sum(hits), 0) AS hits,
      coalesce(sum(hits * (prompt_tokens + completion_tokens)), 0) AS tokens_saved,
      coalesce(sum(hits * cost_usd), 0) AS cost_saved
    FROM textopt_llm_cache""";

  private final Pool pool;

  public PgResponseCache(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Optional<ChatResponse>> find(String digest) {
    return pool.preparedQuery(FIND).execute(Tuple.of(digest)).map(rows -> rows.size() == 0 ? Optional.empty()
      : Optional.of(answer(rows.iterator().next())));
  }

  @Override
  public Future<Void> store(String digest, String model, ChatResponse response) {
    Usage usage = response.usage();
    return pool.preparedQuery(STORE).execute(Tuple.of(digest, model, response.content(), response.finishReason(),
        response.model(), usage.reported(), usage.promptTokens(), usage.cachedPromptTokens(), usage.completionTokens(),
        Numeric.create(response.costUsd())))
      .mapEmpty();
  }

  /** Entries, hits, and the tokens and dollars the hits saved. */
  public Future<CacheSavings> savings() {
    return pool.query(SAVINGS).execute().map(rows -> {
      Row row = rows.iterator().next();
      return new CacheSavings(row.getLong("entries"), row.getLong("hits"), row.getLong("tokens_saved"),
        row.getBigDecimal("cost_saved"));
    });
  }

  private static ChatResponse answer(Row row) {
    Usage usage = row.getBoolean("usage_reported")
      ? new Usage(row.getInteger("prompt_tokens"), row.getInteger("completion_tokens"),
        row.getInteger("cached_prompt_tokens"), true)
      : Usage.NOT_REPORTED;
    BigDecimal cost = row.getBigDecimal("cost_usd").stripTrailingZeros();
    return new ChatResponse(row.getString("content"), row.getString("finish_reason"), row.getString("answered_model"),
      usage, cost, 0, false);
  }
}
