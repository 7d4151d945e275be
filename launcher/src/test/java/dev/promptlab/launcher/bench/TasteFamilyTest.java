package dev.promptlab.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import org.junit.jupiter.api.Test;

class TasteFamilyTest {

  private static GenerationParameters at(int api, double[] unit) {
    return new GenerationParameters(ParameterSpace.APIS.get(api),
      ParameterSpace.STRENGTH_MIN + unit[0] * (ParameterSpace.STRENGTH_MAX - ParameterSpace.STRENGTH_MIN),
      ParameterSpace.GUIDANCE_MIN + unit[1] * (ParameterSpace.GUIDANCE_MAX - ParameterSpace.GUIDANCE_MIN),
      ParameterSpace.CONTROL_MIN + unit[2] * (ParameterSpace.CONTROL_MAX - ParameterSpace.CONTROL_MIN));
  }

  /** With {@code apart-api} the other API is best somewhere else, and worse than the preferred API's peak there too. */
  @Test
  void theOtherApisBumpLiesElsewhereAndBelowTheTarget() {
    for (int seed = 0; seed < 20; seed++) {
      HiddenTaste taste = TasteFamily.APART_API.draw(seed, seed % 4);
      int other = 1 - taste.preferred();
      assertEquals(taste.height(), taste.trueRating(at(taste.preferred(), taste.peak())), 1e-9);
      assertEquals(taste.other(), taste.trueRating(at(other, taste.otherPeak())), 1e-9);
      assertTrue(taste.other() < 4, taste.toString());
      assertTrue(taste.trueRating(at(other, taste.peak())) < taste.other() - 0.5, taste.toString());
      assertTrue(taste.trueRating(at(taste.preferred(), taste.otherPeak())) < 4, taste.toString());
    }
  }

  @Test
  void otherFamiliesShareOnePeakForBothApis() {
    for (TasteFamily family : TasteFamily.values()) {
      if (family != TasteFamily.APART_API) {
        HiddenTaste taste = family.draw(3, 1);
        assertNull(taste.otherPeak(), family.label());
        if (taste.preferred() >= 0) {
          assertEquals(taste.other(), taste.trueRating(at(1 - taste.preferred(), taste.peak())), 1e-9);
        }
      }
    }
  }
}
