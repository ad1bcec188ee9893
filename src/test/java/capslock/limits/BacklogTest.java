package capslock.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BacklogTest {

  @Test
  void oneSourceMayHoldAQuarterOfTheRequestsAndTheOthersTheRest() {
    Backlog<String> backlog = new Backlog<>(8, 1_000_000);
    assertTrue(backlog.admit("flood", 1));
    assertTrue(backlog.admit("flood", 1));
    assertFalse(backlog.admit("flood", 1), "a third request is over the flood's quarter of 8");
    for (String other : new String[] {"a", "a", "b", "b", "c", "c"}) {
      assertTrue(backlog.admit(other, 1), other);
    }
    assertFalse(backlog.admit("d", 1), "8 in all");
    assertEquals(8, backlog.requests());
  }

  @Test
  void oneSourceMayHoldAQuarterOfTheBytes() {
    Backlog<String> backlog = new Backlog<>(100, 4_000);
    assertTrue(backlog.admit("big", 1_000));
    assertFalse(backlog.admit("big", 1), "the big one holds its quarter of the bytes");
    assertTrue(backlog.admit("small", 999));
    assertEquals(1_999, backlog.bytes());
  }

  @Test
  void whatIsDoneMakesRoomAndASourceWithNothingWaitingIsForgotten() {
    Backlog<String> backlog = new Backlog<>(4, 4_000);
    assertTrue(backlog.admit("x", 1_000));
    assertFalse(backlog.admit("x", 1_000));
    backlog.done("x", 1_000);
    assertEquals(0, backlog.sources());
    assertEquals(0, backlog.bytes());
    assertTrue(backlog.admit("x", 1_000));
  }

  @Test
  void theBytesInAllAreBoundedEvenWhenEachSourceIsWithinItsQuarter() {
    Backlog<String> backlog = new Backlog<>(100, 4_000);
    for (String source : new String[] {"a", "b", "c", "d"}) {
      assertTrue(
          backlog.admit(source, 1_000), source + ": its quarter, and at most the bound in all");
    }
    assertFalse(backlog.admit("e", 1), "4,000 bytes in all");
    assertEquals(4_000, backlog.bytes());
    assertEquals(4, backlog.requests());
    assertEquals(4, backlog.sources());
  }

  @Test
  void whatIsDoneLeavesTheRestOfItsSourceWaiting() {
    Backlog<String> backlog = new Backlog<>(100, 4_000);
    assertTrue(backlog.admit("x", 600));
    assertTrue(backlog.admit("x", 400));
    assertFalse(backlog.admit("x", 1), "x holds its quarter of the bytes");
    backlog.done("x", 600);
    assertEquals(1, backlog.requests());
    assertEquals(400, backlog.bytes());
    assertEquals(1, backlog.sources());
    assertTrue(backlog.admit("x", 600), "room again for what was done");
    assertFalse(backlog.admit("x", 1), "and no more");
  }

  @Test
  void sayingDoneForNothingAdmittedIsABug() {
    assertThrows(IllegalStateException.class, () -> new Backlog<String>(4, 4_000).done("never", 1));
  }
}
