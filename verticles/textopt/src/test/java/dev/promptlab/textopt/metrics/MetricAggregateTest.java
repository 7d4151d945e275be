package dev.promptlab.textopt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MetricAggregateTest {

  private final MetricRegistry registry = MetricRegistry.standard();

  @Test
  void perRowMetricsAverageTheirRows() {
    List<MetricRow> rows = List.of(new MetricRow("Paris", "paris"), new MetricRow("in 1976", "1976"),
      new MetricRow("", "Denver"));
    MetricAggregate f1 = MetricAggregate.over(registry.create("f1"), rows);
    assertEquals("f1", f1.metric());
    assertEquals(3, f1.count());
    assertEquals(List.of(1.0, 2.0 / 3.0, 0.0), f1.rowScores().stream().map(Score::value).toList());
    assertEquals((1.0 + 2.0 / 3.0) / 3.0, f1.score(), 1e-12);
    assertEquals(f1.score(), f1.meanRowScore());
    assertEquals(List.of(1, 2), f1.rowsBelow(1.0));
    assertEquals(List.of(2), f1.rowsBelow(0.5));
  }

  @Test
  void corpusMetricsPoolTheirStatistics() {
    // sacreBLEU's README example with its first reference stream only.
    List<MetricRow> rows = List.of(
      new MetricRow("The dog bit the man.", "The dog bit the man."),
      new MetricRow("It wasn't surprising.", "It was not unexpected."),
      new MetricRow("The man had just bitten him.", "The man bit him first."));
    Bleu bleu = Bleu.sacreBleuDefaults();
    MetricAggregate aggregate = MetricAggregate.over(registry.create("bleu"), rows);
    assertEquals(bleu.corpusScore(rows), aggregate.score(), 1e-12);
    double mean = rows.stream().mapToDouble(r -> bleu.score(r.prediction(), r.reference()).value()).average()
      .orElseThrow();
    assertEquals(mean, aggregate.meanRowScore(), 1e-12);
    assertTrue(Math.abs(aggregate.score() - aggregate.meanRowScore()) > 0.01, "corpus BLEU is not the mean of rows");
    assertEquals(1.0, aggregate.rowScores().get(0).value());
  }

  @Test
  void explanationsAreKeptPerRow() {
    MetricAggregate json = MetricAggregate.over(registry.create("json_valid"),
      List.of(new MetricRow("{\"a\": 1}", ""), new MetricRow("{\"a\": ", "")));
    assertEquals(0.5, json.score());
    assertTrue(json.rowScores().get(0).explanation().isEmpty());
    assertTrue(json.rowScores().get(1).explanation().orElseThrow().startsWith("not valid JSON"));
  }

  @Test
  void manyRowsKeepTheirOrder() {
    List<MetricRow> rows = IntStream.range(0, 10_000)
      .mapToObj(i -> new MetricRow(i % 3 == 0 ? "yes" : "no", "yes")).toList();
    MetricAggregate em = MetricAggregate.over(registry.create("exact_match"), rows);
    assertEquals(10_000, em.count());
    assertEquals(3334.0 / 10_000, em.score(), 1e-12);
    assertEquals(6666, em.rowsBelow(1.0).size());
    assertEquals(1, em.rowsBelow(1.0).get(0));
  }

  @Test
  void noRowsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> MetricAggregate.over(registry.create("f1"), List.of()));
    assertEquals("no rows to score with f1", e.getMessage());
    assertThrows(NullPointerException.class, () -> new MetricRow(null, "x"));
    assertThrows(IllegalArgumentException.class, () -> Score.of(1.5));
    assertThrows(IllegalArgumentException.class, () -> Score.of(Double.NaN));
  }
}
