package capslock.limits;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What in direct memory presses the node: what buffers hold, not what the pool keeps free. */
class DirectMemoryTest {

  private static final long MAX = 3_200;

  private final AtomicLong inUse = new AtomicLong();
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong now = new AtomicLong();
  private final DirectMemory memory = new DirectMemory(inUse::get, held::get, MAX, now::get);

  @Test
  void chunksThePoolKeepsAfterAFloodDoNotPress() {
    inUse.set(1_599); // under half, over three eighths
    held.set(150); // less than an eighth of it
    assertFalse(memory.pressing());
    assertFalse(memory.nearlyFull());
  }

  @Test
  void whatBuffersHoldPressesFromAQuarterAndFillsFromThreeEighths() {
    held.set(1_000);
    inUse.set(799);
    assertFalse(memory.pressing());
    inUse.set(800);
    assertTrue(memory.pressing());
    assertFalse(memory.nearlyFull());
    inUse.set(1_200);
    assertTrue(memory.nearlyFull());
  }

  @Test
  void atHalfItPressesAndAtThreeQuartersItFillsWhateverBuffersHold() {
    inUse.set(1_600);
    assertTrue(memory.pressing());
    assertFalse(memory.nearlyFull());
    inUse.set(2_400);
    assertTrue(memory.nearlyFull());
  }

  @Test
  void whatBuffersHoldIsCountedAgainAfterAMillisecondOrAMoveOfAThirtySecond() {
    inUse.set(1_000);
    assertFalse(memory.pressing(), "nothing held");
    held.set(1_000);
    assertFalse(memory.pressing(), "the count is kept");
    now.addAndGet(DirectMemory.KEPT_NANOS);
    assertTrue(memory.pressing(), "a millisecond later");

    held.set(0);
    inUse.set(1_099); // moved by less than a thirty-second of 3,200
    assertTrue(memory.pressing(), "the count is kept");
    inUse.set(1_100);
    assertFalse(memory.pressing(), "counted again at once");
  }
}
