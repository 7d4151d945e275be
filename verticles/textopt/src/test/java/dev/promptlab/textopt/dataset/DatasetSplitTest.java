package dev.promptlab.textopt.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DatasetSplitTest {

  @Test
  void theSameFileGivesTheSameSplitAndTheStatedShareIsHeldOut() {
    long seed = DatasetSplit.seedOf(DatasetSplit.sha256("input,expected\n".getBytes(StandardCharsets.UTF_8)));
    boolean[] first = DatasetSplit.evalRows(100, 0.2, seed);
    assertArrayEquals(first, DatasetSplit.evalRows(100, 0.2, seed));
    int held = 0;
    for (boolean eval : first) {
      held += eval ? 1 : 0;
    }
    assertEquals(20, held);
    assertFalse(java.util.Arrays.equals(first, DatasetSplit.evalRows(100, 0.2, seed + 1)), "another seed, another split");
  }

  @Test
  void theSeedIsTheDigestsFirstEightBytes() {
    String sha = DatasetSplit.sha256(new byte[0]);
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sha);
    assertEquals(0xe3b0c44298fc1c14L, DatasetSplit.seedOf(sha));
  }

  @Test
  void atLeastOneRowOnEachSide() {
    assertEquals(1, DatasetSplit.evalCount(2, 0.01));
    assertEquals(1, DatasetSplit.evalCount(2, 0.99));
    assertEquals(9, DatasetSplit.evalCount(10, 0.99));
    assertEquals(3, DatasetSplit.evalCount(10, 0.25));
  }
}
