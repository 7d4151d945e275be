package dev.promptlab.llm;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Stored answers by request digest ({@link RequestDigest}), so asking a model the same thing again costs nothing.
 * The owner of the storage implements it (the textopt verticle, over its table {@code textopt_llm_cache}).
 */
public interface ResponseCache {

  /**
   * The answer stored for {@code digest}, counted as a hit, or empty. The answer carries the usage and cost of the
   * call that produced it.
   */
  Future<Optional<ChatResponse>> find(String digest);

  /** Keeps {@code response} (a fresh answer of {@code model}) under {@code digest}; an existing entry is kept. */
  Future<Void> store(String digest, String model, ChatResponse response);
}
