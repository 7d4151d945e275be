package dev.promptlab.generation.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class DecodeBudgetTest {

  @Test
  void reservationsThatFitAreGrantedAtOnce() {
    DecodeBudget budget = new DecodeBudget(100, 2);
    CompletableFuture<DecodeBudget.Lease> a = budget.reserve(60);
    CompletableFuture<DecodeBudget.Lease> b = budget.reserve(40);
    assertTrue(a.isDone() && b.isDone());
    assertEquals(100, budget.reserved());
  }

  @Test
  void aReservationOverTheWholeBudgetIsRefusedAsTooLarge() {
    DecodeBudget.RefusedException refused = refusal(new DecodeBudget(100, 2).reserve(101));
    assertEquals(DecodeBudget.Refusal.TOO_LARGE, refused.refusal());
  }

  @Test
  void aReservationThatDoesNotFitWaitsUntilMemoryIsGivenBack() throws Exception {
    DecodeBudget budget = new DecodeBudget(100, 2);
    DecodeBudget.Lease first = budget.reserve(80).get();
    CompletableFuture<DecodeBudget.Lease> second = budget.reserve(50);
    assertFalse(second.isDone());
    assertEquals(1, budget.waiting());
    first.close();
    assertTrue(second.isDone());
    assertEquals(50, budget.reserved());
  }

  @Test
  void withTheQueueFullAReservationIsRefusedAsBusy() throws Exception {
    DecodeBudget budget = new DecodeBudget(100, 1);
    budget.reserve(100).get();
    assertFalse(budget.reserve(10).isDone());
    assertEquals(DecodeBudget.Refusal.BUSY, refusal(budget.reserve(10)).refusal());
  }

  @Test
  void theHeadOfTheQueueIsNotOvertakenBySmallerOnes() throws Exception {
    DecodeBudget budget = new DecodeBudget(100, 3);
    DecodeBudget.Lease big = budget.reserve(70).get();
    CompletableFuture<DecodeBudget.Lease> large = budget.reserve(90);
    CompletableFuture<DecodeBudget.Lease> small = budget.reserve(20);
    assertFalse(small.isDone(), "a small one waits behind the large one although it would fit");
    big.close();
    assertTrue(large.isDone());
    assertFalse(small.isDone());
    large.get().close();
    assertTrue(small.isDone());
  }

  @Test
  void closingALeaseTwiceGivesBackOnce() throws Exception {
    DecodeBudget budget = new DecodeBudget(100, 1);
    DecodeBudget.Lease lease = budget.reserve(60).get();
    budget.reserve(30).get();
    lease.close();
    lease.close();
    assertEquals(30, budget.reserved());
  }

  @Test
  void costGrowsWithTheHeaderSizeAndIsBoundedByTheFittedPlanes() {
    long small = DecodeCost.of("image/jpeg", 1000, 750, 2048);
    long huge = DecodeCost.of("image/png", 7300, 5480, 2048);
    assertEquals(1000L * 750 * 3 + 1000L * 750 * 36, small);
    assertTrue(huge > 7300L * 5480 * 4, "the raster of a 40-megapixel PNG alone is " + 7300L * 5480 * 4);
    assertTrue(huge < 7300L * 5480 * 4 + 2048L * 1537 * 36 + 1, "planes are counted at their fitted size");
  }

  private static DecodeBudget.RefusedException refusal(CompletableFuture<DecodeBudget.Lease> future) {
    ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, future::get);
    return assertInstanceOf(DecodeBudget.RefusedException.class, failed.getCause());
  }
}
