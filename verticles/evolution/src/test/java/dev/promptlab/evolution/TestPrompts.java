package dev.promptlab.evolution;

import dev.promptlab.evolution.store.PromptSeed;
import dev.promptlab.evolution.store.PromptStoreSeeder;
import java.nio.file.Path;

/**
 * A private prompt store for a test, seeded from the packaged seed the way a first start seeds one, so tests
 * never read nor write the working tree's {@code prompts/} or {@code data/} folders.
 */
public final class TestPrompts {

  /** The clauses of the baseline v1.0.0 prompt that protect the room: an evolved prompt keeps them word for word. */
  public static final String PRESERVED = "preserve the exact spatial layout, keep every element's exact shape, size"
    + " and position, keep the exact original colors and materials";

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
