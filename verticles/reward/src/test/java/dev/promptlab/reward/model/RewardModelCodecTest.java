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
