package dev.promptlab.http.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestBatchesTest {

  private static final String HEADER = "original_image,enhanced_image,api,strength,guidance_scale,control_weight,"
    + "prompt_version,rating,comments\n";
  private static final Map<String, Long> SIZES = Map.of("o.png", 1000L, "a.png", 4000L, "b.png", 4000L,
    "c.png", 4000L);

  private static List<ManifestBatches.Batch> split(String name, String manifest, int rows, long bytes) {
    return ManifestBatches.split(name, manifest.getBytes(StandardCharsets.UTF_8), rows, bytes,
      path -> SIZES.getOrDefault(path, -1L));
  }

  @Test
  void cutsByRowsKeepingRowNumbersAndSendingEachImageOncePerBatch() {
    String manifest = HEADER
      + "o.png,a.png,leonardo,0.3,7.5,0.9,v1.0.0,4,\"a, \"\"quoted\"\" comment\"\n"
      + "o.png,b.png,leonardo,0.3,7.5,0.9,v1.0.0,3,\n"
      + "./o.png,c.png,leonardo,0.3,7.5,0.9,v1.0.0,2,\n"
      + "o.png,missing.png,leonardo,0.3,7.5,0.9,v1.0.0,2,\n"
      + "../o.png,a.png,leonardo,0.3,7.5,0.9,v1.0.0,2,\n";
    List<ManifestBatches.Batch> batches = split("m.csv", manifest, 2, Long.MAX_VALUE);
    assertEquals(List.of(1, 3, 5), batches.stream().map(ManifestBatches.Batch::firstRow).toList());
    assertEquals(List.of("o.png", "a.png", "b.png"), batches.get(0).paths());
    assertEquals(List.of("o.png", "c.png"), batches.get(1).paths());
    assertEquals(List.of("a.png"), batches.get(2).paths());

    // Each part reads back, with the server's rules, as the rows it carries under their numbers.
    Manifest first = Manifest.parse("m.csv", batches.get(0).manifest(), 100, batches.get(0).firstRow());
    assertEquals("a, \"quoted\" comment", first.rows().get(0).fields().get("comments"));
    Manifest second = Manifest.parse("m.csv", batches.get(1).manifest(), 100, batches.get(1).firstRow());
    assertEquals(List.of(3, 4), second.rows().stream().map(Manifest.ManifestRow::row).toList());
    assertEquals("missing.png", second.rows().get(1).fields().get("enhanced_image"));
  }

  @Test
  void cutsByBytesAndARowLargerThanTheBudgetGoesAlone() {
    String manifest = HEADER
      + "o.png,a.png,leonardo,0.3,7.5,0.9,v1.0.0,4,\n"
      + "o.png,b.png,leonardo,0.3,7.5,0.9,v1.0.0,3,\n"
      + "o.png,c.png,leonardo,0.3,7.5,0.9,v1.0.0,2,\n";
    List<ManifestBatches.Batch> batches = split("m.csv", manifest, 100, 7000);
    assertEquals(List.of(1, 2, 3), batches.stream().map(ManifestBatches.Batch::firstRow).toList());
    assertEquals(List.of("o.png", "b.png"), batches.get(1).paths());
  }

  @Test
  void jsonLinesStayJsonLines() {
    String manifest = "{\"original_image\": \"o.png\", \"enhanced_image\": \"a.png\", \"rating\": 4}\n"
      + "{\"original_image\": \"o.png\", \"enhanced_image\": \"b.png\", \"rating\": 5}\n";
    List<ManifestBatches.Batch> batches = split("m.jsonl", manifest, 1, Long.MAX_VALUE);
    assertEquals(2, batches.size());
    Manifest second = Manifest.parse("m.jsonl", batches.get(1).manifest(), 100, batches.get(1).firstRow());
    assertEquals(Manifest.JSONL, second.format());
    assertEquals(2, second.rows().get(0).row());
    assertEquals(5, second.rows().get(0).fields().get("rating"));
  }

  @Test
  void aManifestThatIsNotOneIsRefusedWithTheServersReason() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
      () -> split("notes.txt", "minutes of the meeting\n", 10, 1000));
    assertEquals(true, refused.getMessage().contains("not a CSV manifest"), refused.getMessage());
  }
}
