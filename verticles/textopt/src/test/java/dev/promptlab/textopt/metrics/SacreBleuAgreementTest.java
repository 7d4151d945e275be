package dev.promptlab.textopt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BLEU and chrF agree with sacreBLEU itself on 200 random pairs built to stress tokenisation (entities, numbers,
 * line-break hyphens, no-break spaces, accents, other scripts, emoji). The pairs and sacreBLEU's figures come from
 * {@code sacrebleu/generate_cases.py} (see its header for the version and how to regenerate them).
 */
class SacreBleuAgreementTest {

  /** Both sides compute in doubles with the same operations; only summation order may differ. */
  private static final double TOLERANCE = 1e-9;

  @Test
  void sentenceAndCorpusScoresMatchSacreBleu() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode header;
    List<JsonNode> cases = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("/sacrebleu/sacrebleu-cases.jsonl");
         BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      header = json.readTree(reader.readLine());
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        cases.add(json.readTree(line));
      }
    }
    assertEquals(200, cases.size());
    Bleu bleu = Bleu.sacreBleuDefaults();
    Chrf chrf = Chrf.sacreBleuDefaults();
    List<MetricRow> rows = new ArrayList<>();
    int nonZero = 0;
    for (JsonNode c : cases) {
      MetricRow row = new MetricRow(c.get("prediction").asText(), c.get("reference").asText());
      rows.add(row);
      double expectedBleu = c.get("sentence_bleu").asDouble();
      nonZero += expectedBleu > 0 ? 1 : 0;
      assertEquals(expectedBleu / 100, bleu.score(row.prediction(), row.reference()).value(), TOLERANCE, c::toString);
      assertEquals(c.get("sentence_chrf").asDouble() / 100, chrf.score(row.prediction(), row.reference()).value(),
        TOLERANCE, c::toString);
    }
    assertTrue(nonZero > 100, "most pairs share n-grams, so the comparison is not of zeros: " + nonZero);
    assertEquals(header.get("corpus_bleu").asDouble() / 100, bleu.corpusScore(rows), TOLERANCE);
    assertEquals(header.get("corpus_chrf").asDouble() / 100, chrf.corpusScore(rows), TOLERANCE);
  }
}
