package dev.promptlab.textopt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * ROUGE-L against the values of {@code rouge-score}'s own tests ({@code rouge/rouge_scorer_test.py} in
 * google-research), which in turn match manual runs of the original ROUGE-1.5.5. rouge-score calls
 * {@code score(target, prediction)}; our order is (prediction, reference).
 */
class RougeLTest {

  /** The first two lines of rouge-score's {@code testdata/target.txt} and {@code testdata/prediction.txt}. */
  private static final String TARGET_0 = "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing"
    + " Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n";
  private static final String TARGET_1 = "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion"
    + " psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing"
    + " UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n";
  private static final String PREDICTION_0 = "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl"
    + " jB-RPP'iyOIcUxi\n";
  private static final String PREDICTION_1 = "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier"
    + " LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n";

  /** assertAlmostEqual(..., places=5). */
  private static final double FIVE_PLACES = 5e-6;

  private final RougeL rouge = new RougeL();

  @Test
  void matchesRouge155() {
    // testRougeLAgainstRouge155: recall 0.40741, precision 0.68750, F 0.51163; then 0.40476, 0.65385, 0.50000.
    RougeL.Components first = rouge.components(PREDICTION_0, TARGET_0);
    assertEquals(0.40741, first.recall(), FIVE_PLACES);
    assertEquals(0.68750, first.precision(), FIVE_PLACES);
    assertEquals(0.51163, first.fmeasure(), FIVE_PLACES);
    RougeL.Components second = rouge.components(PREDICTION_1, TARGET_1);
    assertEquals(0.40476, second.recall(), FIVE_PLACES);
    assertEquals(0.65385, second.precision(), FIVE_PLACES);
    assertEquals(0.50000, second.fmeasure(), FIVE_PLACES);
    assertEquals(0.51163, rouge.score(PREDICTION_0, TARGET_0).value(), FIVE_PLACES);
  }

  @Test
  void consecutiveAndNonConsecutiveSubsequences() {
    // testRougeLConsecutive and testRougeLNonConsecutive: P = 1, R = 2/3, F = 4/5.
    for (String prediction : List.of("testing one", "testing two")) {
      RougeL.Components c = rouge.components(prediction, "testing one two");
      assertEquals(1.0, c.precision(), 1e-12);
      assertEquals(2.0 / 3.0, c.recall(), 1e-12);
      assertEquals(0.8, c.fmeasure(), 1e-12);
    }
  }

  @Test
  void emptyTextsScoreZero() {
    // testRougeEmpty: score("testing one two", "") is 0, 0, 0.
    assertEquals(new RougeL.Components(0, 0, 0), rouge.components("", "testing one two"));
    assertEquals(0.0, rouge.score("testing", "").value());
    assertEquals(0.0, rouge.score("", "").value());
    // testRougeLsum's all-non-word case: "/" has no token.
    assertEquals(0.0, rouge.score("/", "w1 w2 w3 w4 w5").value());
  }

  @Test
  void tokenizerKeepsOnlyAsciiLettersAndDigits() {
    assertEquals(List.of("caf", "d", "j", "vu", "i", "stanbul", "1"), RougeL.tokens("Café déjà-vu İstanbul ÄÖÜ 東京 1½"));
    assertEquals(1.0, rouge.score("café", "CAF").value(), "é is a separator, as in rouge-score");
    assertEquals(0.0, rouge.score("東京タワー", "東京タワー").value(), "no ASCII token, no score");
  }

  @Test
  void veryLongTextsScore() {
    String reference = IntStream.range(0, 5_000).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    String prediction = IntStream.range(0, 5_000).filter(i -> i % 2 == 0).mapToObj(i -> "w" + i)
      .collect(Collectors.joining(" "));
    // Every other reference token, in order: LCS 2500, P = 1, R = 1/2, F = 2/3.
    assertEquals(2.0 / 3.0, rouge.score(prediction, reference).value(), 1e-12);
    assertEquals(1.0, rouge.score(reference, reference).value(), 1e-12);
  }

  @Test
  void nullTextsAreRefused() {
    assertThrows(NullPointerException.class, () -> rouge.score(null, "x"));
    assertThrows(NullPointerException.class, () -> rouge.score("x", null));
  }
}
