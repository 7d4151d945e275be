package dev.promptlab.textopt.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptlab.textopt.metrics.Bleu.Smoothing;
import dev.promptlab.textopt.metrics.Bleu.Tokenization;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * BLEU against the values sacreBLEU publishes in its own tests ({@code test/test_bleu.py},
 * {@code test/test_sentence_bleu.py}), on our [0, 1] scale (sacreBLEU's figure / 100).
 */
class BleuTest {

  /** The README example of sacreBLEU: three hypotheses, two reference streams. */
  private static final List<String> HYPOTHESES = List.of(
    "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
  private static final List<List<String>> REFERENCES = List.of(
    List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first."),
    List.of("The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."));

  /** test_sentence_bleu.py's example (sacreBLEU issue #98): Romanian with cedilla and comma-below letters. */
  private static final String SENTENCE_REFERENCE = "producţia de zahăr brut se exprimă în zahăr alb;";
  private static final String SENTENCE_HYPOTHESIS =
    "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";

  private final Bleu bleu = Bleu.sacreBleuDefaults();

  @Test
  void corpusBleuMatchesSacreBleuDefaults() {
    // test_corpus_bleu: {} → 48.530827, {'tokenize': '13a'} → 48.530827, {'smooth_method': 'none'} → 48.530827.
    assertEquals(0.48530827, bleu.corpusScore(HYPOTHESES, REFERENCES), 1e-8);
    assertEquals(0.48530827, new Bleu(Tokenization.THIRTEEN_A, Smoothing.none()).corpusScore(HYPOTHESES, REFERENCES),
      1e-8);
    // {'tokenize': 'none'} → 49.1919566.
    assertEquals(0.491919566, new Bleu(Tokenization.NONE, Smoothing.exp()).corpusScore(HYPOTHESES, REFERENCES), 1e-8);
  }

  @Test
  void emptyHypothesesAreKeptAndScoreZero() {
    // test_corpus_bleu: ('', '', '') → 0.0.
    assertEquals(0.0, bleu.corpusScore(List.of("", "", ""), REFERENCES));
    assertEquals(0.0, bleu.score("", "The dog bit the man.").value());
  }

  @Test
  void sentenceBleuMatchesSacreBleuForEachSmoothing() {
    // test_sentence_bleu.py, tolerance 1e-3 on sacreBLEU's scale.
    assertEquals(0.08493, bleu.score(SENTENCE_HYPOTHESIS, SENTENCE_REFERENCE).value(), 1e-5);
    assertEquals(0.0, sentence(Tokenization.THIRTEEN_A, Smoothing.none()), 1e-5);
    assertEquals(0.0451688, sentence(Tokenization.THIRTEEN_A, Smoothing.floor(0.1)), 1e-5);
    assertEquals(0.1010, sentence(Tokenization.THIRTEEN_A, Smoothing.floor(0.5)), 1e-5);
    assertEquals(0.14882, sentence(Tokenization.THIRTEEN_A, Smoothing.addK(1)), 1e-5);
    assertEquals(0.21389, sentence(Tokenization.THIRTEEN_A, Smoothing.addK(2)), 1e-5);
    assertEquals(0.07347, sentence(Tokenization.NONE, Smoothing.exp()), 1e-5);
  }

  @Test
  void noMatchingWordIsZeroWhateverTheSmoothing() {
    // test_api_sentence_bleu_zero (sacreBLEU issue #141).
    for (Smoothing s : List.of(Smoothing.exp(), Smoothing.none(), Smoothing.floor(0.1), Smoothing.addK(1))) {
      assertEquals(0.0, new Bleu(Tokenization.THIRTEEN_A, s).score("this is a cat", "okay thanks").value(), s::toString);
    }
  }

  @Test
  void effectiveOrderAndFloorMatchRawCorpusBleu() {
    // raw_corpus_bleu = floor smoothing (0.01 here), no tokenisation, effective order: test_raw_bleu and
    // test_effective_order, each a one-segment corpus, which is what a row's score is.
    Bleu raw = new Bleu(Tokenization.NONE, Smoothing.floor(0.01));
    assertEquals(1.0, raw.score("this is a test", "this is a test").value(), 1e-8);
    assertEquals(0.223606797749979, raw.score("this is a fest", "this is a test").value(), 1e-8);
    assertEquals(0.3678794411714425, raw.score("test", "a test").value(), 1e-8);
    assertEquals(1.0, raw.score("a test", "a test").value(), 1e-8);
    assertEquals(0.03218297948685433, raw.score("a little test", "a test").value(), 1e-8);
    // test_offset: floor 0.1 → 0.1555722182; floor 0 → 0.
    String hypothesis = "am I am a character sequence";
    String reference = "I am a symbol string sequence a a";
    assertEquals(0.1555722182, new Bleu(Tokenization.NONE, Smoothing.floor(0.1)).score(hypothesis, reference).value(),
      1e-8);
    assertEquals(0.0, new Bleu(Tokenization.NONE, Smoothing.floor(0.0)).score(hypothesis, reference).value(), 1e-8);
  }

  @Test
  void statisticsMatchSacreBleu() {
    // test_statistics: counts [4, 2, 1, 0], totals [6, 5, 4, 3].
    BleuStatistics stats = new Bleu(Tokenization.NONE, Smoothing.floor(0.01))
      .statistics("am I am a character sequence", List.of("I am a symbol string sequence a a"));
    assertArrayEquals(new int[] {4, 2, 1, 0}, stats.correct());
    assertArrayEquals(new int[] {6, 5, 4, 3}, stats.total());
    assertEquals(6, stats.hypothesisLength());
    assertEquals(8, stats.referenceLength());
  }

  @Test
  void scoringFromStatisticsMatchesSacreBleu() {
    // test_scoring: counts [9, 7, 5, 3], totals [10, 8, 6, 4], lengths 11 and 11 → 0.8375922397.
    BleuStatistics stats = new BleuStatistics(11, 11, new int[] {9, 7, 5, 3}, new int[] {10, 8, 6, 4});
    assertEquals(83.75922397, new Bleu(Tokenization.THIRTEEN_A, Smoothing.none()).compute(stats, false), 1e-6);
    // test_degenerate_statistics: no match at all is 0 whatever the floor.
    for (double floor : new double[] {0.0, 0.1, 0.01}) {
      Bleu floored = new Bleu(Tokenization.THIRTEEN_A, Smoothing.floor(floor));
      assertEquals(0.0, floored.compute(new BleuStatistics(0, 1, new int[4], new int[] {4, 4, 2, 1}), false));
      assertEquals(0.0, floored.compute(new BleuStatistics(0, 0, new int[4], new int[4]), false));
    }
    assertEquals(0.0, new Bleu(Tokenization.THIRTEEN_A, Smoothing.floor(0.0))
      .compute(new BleuStatistics(6, 6, new int[] {6, 5, 4, 0}, new int[] {6, 5, 4, 3}), false));
  }

  @Test
  void thirteenATokenisationSplitsSymbolsButKeepsNumbersWhole() {
    assertEquals(List.of("The", "dog", "bit", "the", "man", "."), Tokenizer13a.tokenize("The dog bit the man."));
    assertEquals(List.of("It", "wasn't", "surprising", "."), Tokenizer13a.tokenize("It wasn't surprising."));
    assertEquals(List.of("3.14", "and", "1,000", ",", "not", "x", ".", "y"), Tokenizer13a.tokenize("3.14 and 1,000, not x.y"));
    assertEquals(List.of("1995", "-", "2000", "well-known"), Tokenizer13a.tokenize("1995-2000 well-known"));
    assertEquals(List.of("\"", "a", "&", "b", "<", "c", ">"), Tokenizer13a.tokenize("&quot;a &amp; b &lt;c&gt;"));
    assertEquals(List.of("line", "broken", "word"), Tokenizer13a.tokenize("line bro-\nken\nword"));
    assertEquals(List.of("a", "(", "b", ")", "[", "c", "]", "{", "d", "}", "/", "e"),
      Tokenizer13a.tokenize("a (b) [c] {d}/e"));
  }

  @Test
  void trailingWhitespaceGoesBeforeTokenisation() {
    // sacreBLEU rstrips each segment first: "bro-\n" at the end stays "bro-", inside a text it joins the next line.
    assertEquals(List.of("a", "bro-"), Tokenizer13a.tokenize(PythonText.rstrip("a bro-\n")));
    assertEquals(1.0, bleu.score("one two three bro-\n", "one two three bro-").value(), 1e-12);
    assertEquals("a", PythonText.rstrip("a \u00a0\u0085\n\t"));
  }

  @Test
  void rowAndCorpusScoresOfTheMetricInterface() {
    List<MetricRow> rows = IntStream.range(0, HYPOTHESES.size())
      .mapToObj(i -> new MetricRow(HYPOTHESES.get(i), REFERENCES.get(0).get(i))).toList();
    // One reference stream: the second stream's extra matches are gone, so the score is lower than 0.485.
    double oneStream = bleu.corpusScore(HYPOTHESES, List.of(REFERENCES.get(0)));
    assertEquals(oneStream, bleu.corpusScore(rows), 1e-12);
    assertEquals(1.0, bleu.score("The dog bit the man.", "The dog bit the man.").value());
    assertEquals("bleu", bleu.name());
  }

  @Test
  void emptyReferenceScoresZero() {
    assertEquals(0.0, bleu.score("The dog bit the man.", "").value());
    assertEquals(0.0, bleu.score("", "").value());
  }

  @Test
  void unicodeTokensMatchExactly() {
    assertEquals(1.0, bleu.score("Ünïcödé 東京 ☃ 🙂 text here", "Ünïcödé 東京 ☃ 🙂 text here").value(), 1e-12);
    // NFC "é" and NFD "e\u0301" are different strings to sacreBLEU too.
    assertEquals(0.0, bleu.score("caf\u00e9", "cafe\u0301").value());
  }

  @Test
  void veryLongTextsScore() {
    String text = IntStream.range(0, 20_000).mapToObj(i -> "w" + (i % 997))
      .collect(Collectors.joining(" "));
    assertEquals(1.0, bleu.score(text, text).value(), 1e-12);
    assertEquals(1.0, bleu.corpusScore(List.of(new MetricRow(text, text))), 1e-12);
  }

  @Test
  void mismatchedOrEmptyInputIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> bleu.corpusScore(List.of()));
    assertThrows(IllegalArgumentException.class, () -> bleu.corpusScore(List.of("a", "b"), List.of(List.of("a"))));
    assertThrows(IllegalArgumentException.class, () -> Smoothing.floor(-1));
    assertThrows(NullPointerException.class, () -> bleu.score(null, "a"));
  }

  private static double sentence(Tokenization tokenization, Smoothing smoothing) {
    return new Bleu(tokenization, smoothing).score(SENTENCE_HYPOTHESIS, SENTENCE_REFERENCE).value();
  }
}
