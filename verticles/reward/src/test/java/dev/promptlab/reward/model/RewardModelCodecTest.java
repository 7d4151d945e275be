package dev.promptlab.reward.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RewardModelCodecTest {

  @Test
  void aDecodedModelPredictsExactlyAsTheOriginal() {
    List<RatedVariant> rows = RewardTrainerTest.ratings(200, 0.4, true, new Random(21));
    RewardModel model = RewardModel.fit(rows);
    RewardModel copy = RewardModelCodec.decode(RewardModelCodec.encode(model));
    for (RatedVariant row : rows.subList(0, 20)) {
      assertEquals(model.predict(row), copy.predict(row));
    }
    assertEquals(model.inputs().apis(), copy.inputs().apis());
    assertEquals(model.inputs().raters(), copy.inputs().raters());
    assertEquals(model.inputs().promptVersions(), copy.inputs().promptVersions());
  }

  @Test
  void aModelThatReadsAnEmbeddingKeepsItsLength() {
    Random random = new Random(23);
    List<RatedVariant> rows = RewardTrainerTest.ratings(120, 0.4, true, random).stream()
      .map(v -> new RatedVariant(v.ratingId(), v.experimentId(), v.raterId(), v.variant(), v.original(), v.structure(),
        v.api(), v.promptVersion(), v.parameters(), new float[] {random.nextFloat(), random.nextFloat(), 0.5f},
        v.rating()))
      .toList();
    RewardModel model = RewardModel.fit(rows);
    RewardModel copy = RewardModelCodec.decode(RewardModelCodec.encode(model));
    assertEquals(3, copy.inputs().embeddingLength());
    for (RatedVariant row : rows.subList(0, 20)) {
      assertEquals(model.predict(row), copy.predict(row));
    }
  }

  @Test
  void damagedBytesAreRefused() {
    byte[] bytes = RewardModelCodec.encode(RewardModel.fit(RewardTrainerTest.ratings(50, 0.4, true,
      new Random(22))));
    assertThrows(IllegalArgumentException.class, () -> RewardModelCodec.decode(Arrays.copyOf(bytes,
      bytes.length / 2)));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertThrows(IllegalArgumentException.class, () -> RewardModelCodec.decode(longer));
    assertThrows(IllegalArgumentException.class, () -> RewardModelCodec.decode(new byte[] {-1, -1, -1, -1}));
  }
}
