package dev.promptlab.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadRoundTest {

  @Test
  void throughputAndLatencyCountOnlyTheUploadsThatSucceeded() {
    List<UploadRound.Upload> uploads = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      uploads.add(new UploadRound.Upload(i * 100L, null));
    }
    uploads.add(new UploadRound.Upload(50, "503 busy"));
    uploads.add(new UploadRound.Upload(60, "503 busy"));
    uploads.add(new UploadRound.Upload(90_000, "option failed"));
    UploadRound round = new UploadRound(uploads, 30_000);

    assertEquals(40.0, round.uploadsPerMinute(), 1e-9, "20 uploads in half a minute");
    assertEquals(1000, round.latencyPercentileMs(50), "nearest rank: the 10th of 20");
    assertEquals(1900, round.latencyPercentileMs(95), "nearest rank: the 19th of 20");
    assertEquals(2000, round.latencyPercentileMs(100));
    assertEquals(23, round.count());
    assertEquals(3, round.errors());
    assertEquals(Map.of("503 busy", 2, "option failed", 1), round.errorsByReason());
  }

  @Test
  void aRoundWithoutSuccessesHasNoLatency() {
    UploadRound round = new UploadRound(List.of(new UploadRound.Upload(10, "500 internal")), 1000);
    assertEquals(0.0, round.uploadsPerMinute());
    assertTrue(Double.isNaN(round.latencyPercentileMs(50)));
  }

  @Test
  void anEmptyRoundIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new UploadRound(List.of(), 1000));
    assertThrows(IllegalArgumentException.class, () -> new UploadRound(List.of(new UploadRound.Upload(1, null)), 0));
  }
}
