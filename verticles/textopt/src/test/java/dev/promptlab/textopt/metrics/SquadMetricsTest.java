package dev.promptlab.textopt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exact match and token F1 against the rules of the official SQuAD v1.1 evaluation script (normalise: lower-case,
 * drop ASCII punctuation, drop a/an/the as whole words, collapse whitespace; F1 over the token multisets). Each
 * expected value is worked out by hand in its comment.
 */
class SquadMetricsTest {

  private final ExactMatch exactMatch = new ExactMatch();
  private final TokenF1 f1 = new TokenF1();

  @ParameterizedTest(name = "[{index}] {0} | {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
    # prediction                | reference                  | normalised prediction | exact match
    The Eiffel Tower!           | eiffel tower               | eiffel tower          | 1
    Denver Broncos              | the Denver Broncos.        | denver broncos        | 1
    an apple a day              | apple day                  | apple day             | 1
    Don't stop                  | dont stop                  | dont stop             | 1
    in 1976                     | 1976                       | in 1976               | 0
    Café Über                   | café über                  | café über             | 1
    ΣΟΦΊΑ                       | σοφία                      | σοφία                 | 1
    ¿Qué?                       | qué                        | ¿qué                  | 0
    aé                          | é                          | aé                    | 0
    an_a                        | ana                        | ana                   | 1
    "theater, anthem"           | theater anthem             | theater anthem        | 1
    "  lots   of   space  "     | lots of space              | lots of space         | 1
    """)
  void exactMatchNormalisesAsTheSquadScript(String prediction, String reference, String normalised, int expected) {
    assertEquals(normalised, SquadNormalization.normalize(prediction));
    assertEquals(expected, exactMatch.score(prediction, reference).value());
  }

  @Test
  void normalisationSplitsOnUnicodeSpacesAndKeepsCombiningMarksOutsideWords() {
    // Python splits on the no-break space; U+0301 is not a word character there, so "a" before it is an article.
    assertEquals("1 000", SquadNormalization.normalize("1\u00a0000"));
    assertEquals("\u0301 b", SquadNormalization.normalize("a\u0301 b"));
  }

  @Test
  void f1CountsCommonTokensAsAMultiset() {
    // "in 1976" vs "1976": 1 common token, P = 1/2, R = 1 → F1 = 2/3.
    assertEquals(2.0 / 3.0, f1.score("in 1976", "1976").value(), 1e-12);
    // "cat cat sat" vs "cat sat on mat": cat counts once, sat once → 2 common, P = 2/3, R = 2/4 → F1 = 4/7.
    assertEquals(4.0 / 7.0, f1.score("the cat the cat sat", "cat sat on the mat").value(), 1e-12);
    // "santa clara california" vs "levis stadium in san francisco bay area at santa clara california":
    // 3 common, P = 3/3, R = 3/11 → F1 = 2 * (3/11) / (1 + 3/11) = 6/14 = 3/7.
    assertEquals(3.0 / 7.0,
      f1.score("Santa Clara, California", "Levi's Stadium in the San Francisco Bay Area at Santa Clara, California.")
        .value(), 1e-12);
    assertEquals(1.0, f1.score("The Eiffel Tower!", "eiffel tower").value());
    assertEquals(0.0, f1.score("¿Qué?", "qué").value());
  }

  @Test
  void emptyTextsFollowVersionOneOne() {
    assertEquals(1.0, exactMatch.score("", "").value());
    assertEquals(1.0, exactMatch.score("the", "").value(), "an answer of only an article normalises to nothing");
    assertEquals(0.0, exactMatch.score("", "Denver").value());
    assertEquals(0.0, exactMatch.score("Denver", "").value());
    // No common token is 0 in v1.1, even when both sides are empty.
    assertEquals(0.0, f1.score("", "").value());
    assertEquals(0.0, f1.score("", "Denver").value());
    assertEquals(0.0, f1.score("Denver", "").value());
  }

  @Test
  void scriptsWithoutSpacesAreOneToken() {
    // No word segmentation: "北京 大学" is two tokens, "北京大学" one, and they share none.
    assertEquals(0.0, exactMatch.score("北京 大学", "北京大学").value());
    assertEquals(0.0, f1.score("北京 大学", "北京大学").value());
    assertEquals(1.0, f1.score("北京大学", "北京大学!").value());
  }

  @Test
  void veryLongAnswersScoreInOnePass() {
    String text = "token ".repeat(20_000) + "end";
    String other = "Token, ".repeat(20_000) + "the end.";
    assertEquals(1.0, exactMatch.score(text, other).value());
    assertEquals(1.0, f1.score(text, other).value());
    // One extra token on the prediction side: P = 20001/20002, R = 1.
    double p = 20_001.0 / 20_002.0;
    assertEquals(2 * p / (p + 1), f1.score(text + " more", other).value(), 1e-12);
  }

  @Test
  void nullTextsAreRefused() {
    assertThrows(NullPointerException.class, () -> exactMatch.score(null, "x"));
    assertThrows(NullPointerException.class, () -> f1.score("x", null));
  }
}
