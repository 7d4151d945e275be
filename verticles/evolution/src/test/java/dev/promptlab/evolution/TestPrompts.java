package dev.promptlab.evolution;

import dev.promptlab.evolution.store.PromptSeed;
import dev.promptlab.evolution.store.PromptStoreSeeder;
import java.nio.file.Path;

/**
 * A private prompt store for a test, seeded from the packaged seed the way a first start seeds one, so tests
 * never read nor write the working tree's {@code prompts/} or {@code data/} folders.
 */
public final class TestPrompts {

  private TestPrompts() {
  }

  /** Seeds {@code target} (which must hold no version yet) and returns it. */
  public static Path seedInto(Path target) {
    if (!PromptStoreSeeder.seedIfEmpty(target, PromptSeed::packaged)) {
      throw new IllegalStateException(target + " holds versions already");
    }
    return target;
  }
}
