package capslock.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The node's count of what its TCP connections hold, and its direct memory, against bounds. */
class HeldBytesTest {

  private final AtomicLong directInUse = new AtomicLong();
  private final HeldBytes held = new HeldBytes(1_000, new DirectMemory(directInUse::get, 4_000));

  @Test
  void pressedAtHalfItsBoundAndFullAtIt() {
    held.add(499);
    assertFalse(held.pressed());
    held.add(1);
    assertTrue(held.pressed());
    assertFalse(held.full());
    held.add(500);
    assertTrue(held.full());
    held.add(-1_000);
    assertFalse(held.pressed(), "what has gone is counted off");
  }

  /**
   * Direct memory the counts cannot see, held by buffers (here all that is in use), makes the node
   * pressed at a quarter of it in use, and full at three eighths, whatever it holds by its count.
   */
  @Test
  void pressedAtAQuarterOfItsDirectMemoryAndFullAtThreeEighths() {
    directInUse.set(999);
    assertFalse(held.pressed());
    directInUse.set(1_000);
    assertTrue(held.pressed());
    directInUse.set(1_499);
    assertFalse(held.full());
    directInUse.set(1_500);
    assertTrue(held.full(), "with nothing held by the count");
    assertEquals(0, held.held());
  }

  @Test
  void describesBothInWords() {
    held.add(1_234);
    directInUse.set(3_500);
    assertEquals(
        "it held 1,234 bytes (tcp.maxPendingBytes is 1,000), and 3,500 of its 4,000 bytes of direct"
            + " memory were in use",
        held.describe());
  }

  @Test
  void thisJvmsDirectMemoryCountsNettysBuffersOnce() {
    DirectMemory memory = DirectMemory.ofThisJvm(ByteBufAllocator.DEFAULT);
    assertTrue(memory.max() > 0, "the most it may reserve");
    long before = memory.inUse();
    ByteBuf buffer = Unpooled.directBuffer(8 << 20); // as Netty makes a pool's chunk
    try {
      long more = memory.inUse() - before;
      assertTrue(
          more >= buffer.capacity() && more < buffer.capacity() + (1 << 20),
          "Netty's 8 MiB buffer is counted once: " + more + " bytes more");
    } finally {
      buffer.release();
    }
  }
}
