package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.limits.DirectMemory;
import capslock.limits.HeldBytes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ReadBuffersTest {

  private final HeldBytes nodeHeld = new HeldBytes(1_000_000, new DirectMemory(() -> 0, 1L << 30));
  private final EmbeddedChannel channel = new EmbeddedChannel();

  @Test
  void fullReadsGrowTo16KibAndGoOnWhileTheNodeHoldsLittle() {
    RecvByteBufAllocator.Handle reads = handle();
    readsFilling(reads, 10);
    assertEquals(ReadBuffers.MAX_BYTES, reads.guess());
    ByteBuf buffer = reads.allocate(channel.alloc());
    assertEquals(ReadBuffers.MAX_BYTES, buffer.writableBytes());
    buffer.release();
    reads.incMessagesRead(1);
    reads.attemptedBytesRead(ReadBuffers.MAX_BYTES);
    reads.lastBytesRead(ReadBuffers.MAX_BYTES);
    assertTrue(reads.continueReading(), "another read in this turn");
  }

  @Test
  void smallReadsOnceTheNodeHoldsHalfItsBound() {
    RecvByteBufAllocator.Handle reads = handle();
    readsFilling(reads, 10);
    nodeHeld.add(500_000);
    assertEquals(ReadBuffers.UNDER_PRESSURE_BYTES, reads.guess());
    ByteBuf buffer = reads.allocate(channel.alloc());
    assertEquals(ReadBuffers.UNDER_PRESSURE_BYTES, buffer.writableBytes());
    buffer.release();

    nodeHeld.add(-500_000);
    assertEquals(ReadBuffers.MAX_BYTES, reads.guess(), "back to the adaptive guess");
  }

  /** A finishing connection drops what it reads: small reads, however little the node holds. */
  @Test
  void smallReadsOnceWhatIsReadIsDropped() {
    ReadBuffers buffers = ReadBuffers.use(channel.config(), nodeHeld);
    RecvByteBufAllocator.Handle reads = handle();
    readsFilling(reads, 10);
    buffers.readToDrop();
    assertEquals(ReadBuffers.UNDER_PRESSURE_BYTES, reads.guess());
  }

  /**
   * More than one read asked for while the channel is paused is Netty reading on regardless (the
   * input of a client that has ended its side); one is Java NIO's read in the turn of the pause.
   */
  @Test
  void tellsReadsAskedForWhilePaused() {
    ReadBuffers buffers = ReadBuffers.use(channel.config(), nodeHeld);
    RecvByteBufAllocator.Handle reads = handle();
    reads.allocate(channel.alloc()).release();
    assertFalse(buffers.drainsWhilePaused());

    channel.config().setAutoRead(false);
    reads.allocate(channel.alloc()).release();
    assertFalse(buffers.drainsWhilePaused(), "one read in the turn of the pause");
    reads.allocate(channel.alloc()).release();
    assertTrue(buffers.drainsWhilePaused());

    channel.config().setAutoRead(true);
    reads.allocate(channel.alloc()).release();
    assertFalse(buffers.drainsWhilePaused());
  }

  /** The handle of the channel's allocator, made ReadBuffers first unless it is already. */
  private RecvByteBufAllocator.Handle handle() {
    if (!(channel.config().getRecvByteBufAllocator() instanceof ReadBuffers)) {
      ReadBuffers.use(channel.config(), nodeHeld);
    }
    RecvByteBufAllocator.Handle reads = channel.config().getRecvByteBufAllocator().newHandle();
    reads.reset(channel.config());
    return reads;
  }

  /** Turns of reads that each fill their buffer: the adaptive guess grows. */
  private static void readsFilling(RecvByteBufAllocator.Handle reads, int turns) {
    for (int i = 0; i < turns; i++) {
      int size = reads.guess();
      reads.incMessagesRead(1);
      reads.attemptedBytesRead(size);
      reads.lastBytesRead(size);
      reads.readComplete();
    }
  }
}
