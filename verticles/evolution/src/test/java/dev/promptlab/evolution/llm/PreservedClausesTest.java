package dev.promptlab.evolution.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreservedClausesTest {

  private static final String BASELINE = "ultra-realistic, photorealistic interior design render, 8k,"
    + " preserve the exact spatial layout, keep every element's exact shape, size and position,"
    + " keep the exact original colors and materials, natural light";

  @Test
  void findsEachClauseWithItsList() {
    assertEquals(List.of("preserve the exact spatial layout", "keep every element's exact shape, size and position",
      "keep the exact original colors and materials"), PreservedClauses.of(BASELINE));
    assertEquals(List.of("keep walls, floor, ceiling or doors"), PreservedClauses.of("Keep walls,  floor, ceiling OR doors"
      .toLowerCase()));
    // No "and"/"or" within three fragments: the list is not joined, the clause stands alone.
    assertEquals(List.of("keep shapes"), PreservedClauses.of("keep shapes, sizes, a, b, c and d"));
    assertEquals(List.of(), PreservedClauses.of("photorealistic, 8k, sharp focus"));
  }

  @Test
  void aProposalMustKeepEveryClauseWordForWord() {
    assertEquals(List.of(), PreservedClauses.missing(BASELINE,
      "cinematic light, KEEP every element's exact shape,  size and position, preserve the exact spatial layout,"
        + " keep the exact original colors and materials"));
    assertEquals(List.of("keep every element's exact shape, size and position"), PreservedClauses.missing(BASELINE,
      "preserve the exact spatial layout, keep every element's exact shape, keep the exact original colors and"
        + " materials"));
    assertEquals(List.of("preserve the exact spatial layout"), PreservedClauses.missing(BASELINE,
      "do not preserve the exact spatial layout, keep every element's exact shape, size and position,"
        + " keep the exact original colors and materials"));
    assertEquals(3, PreservedClauses.missing(BASELINE, "a cartoon of a cat").size());
  }
}
