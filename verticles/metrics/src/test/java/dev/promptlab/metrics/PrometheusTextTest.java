package dev.promptlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The format checker the other tests rely on must itself reject broken exposition text. */
class PrometheusTextTest {

  private static final String VALID = """
    # HELP requests_total Requests served
    # TYPE requests_total counter
    requests_total{path="/a",code="200"} 3.0
    requests_total{path="/b \\"quoted\\"",code="500"} 1.0
    # HELP latency_seconds Latency
    # TYPE latency_seconds histogram
    latency_seconds_bucket{le="0.1"} 1
    latency_seconds_bucket{le="1.0"} 2
    latency_seconds_bucket{le="+Inf"} 3
    latency_seconds_count 3
    latency_seconds_sum 4.2
    # TYPE temperature gauge
    temperature NaN
    """;

  @Test
  void readsValidTextWithEscapesHistogramsAndSpecialValues() {
    PrometheusText text = PrometheusText.parse(VALID);
    assertEquals(3.0, text.value("requests_total", "path", "/a", "code", "200"));
    assertEquals(1.0, text.value("requests_total", "code", "500", "path", "/b \"quoted\""));
    assertEquals(2.0, text.value("latency_seconds_bucket", "le", "1.0"));
    assertTrue(Double.isNaN(text.value("temperature")));
    assertEquals("counter", text.type("requests_total"));
    assertEquals("Requests served", text.help("requests_total"));
    assertTrue(text.find("requests_total", "path", "/a").isEmpty(), "label sets must match exactly");
  }

  @Test
  void readsOpenMetricsCounters() {
    PrometheusText text = PrometheusText.parse("# TYPE jobs counter\n# HELP jobs Jobs\njobs_total 2.0\n# EOF\n");
    assertEquals(2.0, text.value("jobs_total"));
  }

  @Test
  void rejectsASampleWithoutType() {
    assertThrows(AssertionError.class, () -> PrometheusText.parse("orphan 1\n"));
  }

  @Test
  void rejectsMalformedLabelsNamesAndValues() {
    String head = "# TYPE m gauge\n";
    assertThrows(AssertionError.class, () -> PrometheusText.parse(head + "m{a=\"x} 1\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse(head + "m{a=x} 1\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse(head + "m{1a=\"x\"} 1\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse(head + "m{a=\"x\",a=\"y\"} 1\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse(head + "m one\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE 9m gauge\n9m 1\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE m thing\nm 1\n"));
  }

  @Test
  void rejectsRepeatedSeriesAndSplitFamilies() {
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE m gauge\nm{a=\"1\"} 1\nm{a=\"1\"} 2\n"));
    assertThrows(AssertionError.class,
      () -> PrometheusText.parse("# TYPE m gauge\nm{a=\"1\"} 1\n# TYPE n gauge\nn 1\nm{a=\"2\"} 2\n"));
  }

  @Test
  void rejectsSuffixesThatDoNotFitTheType() {
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE m gauge\nm_total 1\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE h histogram\nh 1\n"));
  }

  @Test
  void rejectsInconsistentHistograms() {
    String notCumulative = "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n";
    String countDiffers = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_count 2\nh_sum 1\n";
    String noInf = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n";
    assertThrows(AssertionError.class, () -> PrometheusText.parse(notCumulative));
    assertThrows(AssertionError.class, () -> PrometheusText.parse(countDiffers));
    assertThrows(AssertionError.class, () -> PrometheusText.parse(noInf));
  }

  @Test
  void rejectsContentAfterEof() {
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE m gauge\nm 1\n# EOF\nm2 1\n"));
  }
}
