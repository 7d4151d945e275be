package dev.promptlab.textopt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * chrF against the values sacreBLEU publishes in {@code test/test_chrf.py} (tolerance 1e-4 on its 0–100 scale,
 * 1e-6 on ours). Those tests use beta 3 except the sentence-level ones, so beta and the smoothing are parameters.
 */
class ChrfTest {

  private static final double TOLERANCE = 1e-6;

  @ParameterizedTest(name = "[{index}] {0} | {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
    # test_cases: chrF3, epsilon smoothing
    abcdefg | hijklmnop | 0.0
    a       | b         | 0.0
    ""      | b         | 0.0
    ""      | ref       | 0.0
    ""      | reference | 0.0
    aa      | ab        | 0.083333
    a       | a         | 0.166667
    a b c   | a b c     | 0.50
    a b c   | abc       | 0.50
    " risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ." | "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ." | 0.63361730
    " Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. " | "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich." | 0.641302698
    Niemand hat die Absicht, eine Mauer zu errichten | Niemand hat die Absicht, eine Mauer zu errichten | 1.0
    """)
  void epsilonSmoothedChrf3(String hypothesis, String reference, double expected) {
    assertEquals(expected, new Chrf(6, 3, false, true).score(hypothesis, reference).value(), TOLERANCE);
  }

  @ParameterizedTest(name = "[{index}] {0} | {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
    # test_cases_effective_order: chrF3, sacreBLEU's default averaging over the orders present
    a     | a         | 1.0
    ""    | reference | 0.0
    a b c | a b c     | 1.0
    a b c | abc       | 1.0
    ""    | c         | 0.0
    aa    | ab        | 0.25
    """)
  void effectiveOrderChrf3(String hypothesis, String reference, double expected) {
    assertEquals(expected, new Chrf(6, 3, false, false).score(hypothesis, reference).value(), TOLERANCE);
  }

  @Test
  void corpusScorePoolsCounts() {
    // test_cases ["a", "b"] vs ["a", "c"]: 0.083333 with epsilon smoothing, 0.50 with the default averaging.
    List<MetricRow> rows = List.of(new MetricRow("a", "a"), new MetricRow("b", "c"));
    assertEquals(0.083333, new Chrf(6, 3, false, true).corpusScore(rows), TOLERANCE);
    assertEquals(0.50, new Chrf(6, 3, false, false).corpusScore(rows), TOLERANCE);
    // The pooled score is not the mean of the rows' scores (1.0 and 0.0 here would give 0.5 by chance; check the
    // default metric on rows of different lengths instead).
    Chrf chrf = Chrf.sacreBleuDefaults();
    List<MetricRow> uneven = List.of(new MetricRow("abcdefgh", "abcdefgh"), new MetricRow("x", "y"));
    double mean = (chrf.score("abcdefgh", "abcdefgh").value() + chrf.score("x", "y").value()) / 2;
    assertTrue(chrf.corpusScore(uneven) > mean, "pooled counts weigh the long, correct row more");
  }

  @Test
  void keepingWhitespaceMatchesSacreBleu() {
    // test_cases_keep_whitespace: chrF3, whitespace kept, default averaging.
    Chrf chrf = new Chrf(6, 3, true, false);
    assertEquals(0.673481606, chrf.score("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
      "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.").value(), TOLERANCE);
    assertEquals(0.652414427, chrf.score(
      "risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
      "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .")
      .value(), TOLERANCE);
  }

  @Test
  void sentenceLevelChrf2OnCzech() {
    // test_chrf_sentence_level: chrF2 (sacreBLEU's beta) with epsilon smoothing.
    Chrf chrf = new Chrf(6, 2, false, true);
    assertEquals(0.3914078509, chrf.score(
      "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
      "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.").value(), TOLERANCE);
    assertEquals(0.3122557079, chrf.score(
      "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
      "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.").value(), TOLERANCE);
    assertEquals(0.5715704367, chrf.score(
      "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
      "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.").value(), TOLERANCE);
  }

  @Test
  void defaultsAreChrf2WithoutSmoothing() {
    Chrf chrf = Chrf.sacreBleuDefaults();
    assertEquals("chrf", chrf.name());
    // "aa" vs "ab": unigrams P = R = 1/2, bigrams P = R = 0 → averages 1/4 each → F = 1/4 whatever beta.
    assertEquals(0.25, chrf.score("aa", "ab").value(), 1e-12);
    // Spaces are removed: "a b c" and "abc" are the same text.
    assertEquals(1.0, chrf.score("a b c", "abc").value(), 1e-12);
    // beta 2 weighs recall: P = 1, R = 1/2 on unigrams only → 5 * 0.5 / (4 + 0.5) = 5/9.
    assertEquals(5.0 / 9.0, chrf.score("a", "ab").value(), 1e-12);
  }

  @Test
  void emptyTextsScoreZero() {
    Chrf chrf = Chrf.sacreBleuDefaults();
    assertEquals(0.0, chrf.score("", "reference").value());
    assertEquals(0.0, chrf.score("hypothesis", "").value());
    assertEquals(0.0, chrf.score("", "").value());
    assertEquals(0.0, chrf.score("   ", "\u00a0\t").value(), "whitespace only is empty once spaces are removed");
  }

  @Test
  void charactersAreCodePoints() {
    Chrf chrf = Chrf.sacreBleuDefaults();
    // One emoji is one character: "🙂x" vs "🙂y" share one unigram of two on each side, and no bigram.
    assertEquals(0.25, chrf.score("🙂x", "🙂y").value(), 1e-12);
    assertEquals(1.0, chrf.score("東京タワー 🙂", "東京タワー🙂").value(), 1e-12);
  }

  @Test
  void veryLongTextsScore() {
    String text = IntStream.range(0, 20_000).mapToObj(i -> "w" + (i % 997))
      .collect(Collectors.joining(" "));
    assertEquals(1.0, Chrf.sacreBleuDefaults().score(text, text).value(), 1e-12);
    assertTrue(Chrf.sacreBleuDefaults().score(text, text.substring(0, text.length() / 2)).value() < 1.0);
  }

  @Test
  void badSettingsAndInputAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Chrf(0, 2, false, false));
    assertThrows(IllegalArgumentException.class, () -> new Chrf(6, 0, false, false));
    assertThrows(IllegalArgumentException.class, () -> Chrf.sacreBleuDefaults().corpusScore(List.of()));
    assertThrows(NullPointerException.class, () -> Chrf.sacreBleuDefaults().score("a", null));
  }
}
