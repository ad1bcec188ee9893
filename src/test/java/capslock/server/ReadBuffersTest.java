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

  /**
   * Under pressure a read is 1 KiB even after short lines made the guess smaller, so that a turn's
   * 16 reads (Java NIO) take a 16 KiB piece whole.
   */
  @Test
  void underPressureAReadIs1KibEvenAfterShortLines() {
    RecvByteBufAllocator.Handle reads = handle();
    readsOf(reads, 10, 100);
    assertEquals(64, reads.guess(), "short lines made the guess the smallest");
    nodeHeld.add(500_000);
    ByteBuf buffer = reads.allocate(channel.alloc());
    assertEquals(ReadBuffers.UNDER_PRESSURE_BYTES, buffer.writableBytes());
    buffer.release();
  }

  /**
   * But where the first read of a turn waits for data with its buffer (io_uring), on every
   * connection at once, that read keeps the smaller guess; the reads after it are 1 KiB.
   */
  @Test
  void underPressureAReadThatWaitsKeepsTheSmallerGuess() {
    ReadBuffers.use(channel.config(), nodeHeld, true);
    RecvByteBufAllocator.Handle reads = handle();
    readsOf(reads, 10, 100);
    nodeHeld.add(500_000);
    for (int turn = 0; turn < 2; turn++) {
      reads.reset(channel.config());
      ByteBuf waiting = reads.allocate(channel.alloc());
      ByteBuf next = reads.allocate(channel.alloc());
      assertEquals(64, waiting.writableBytes(), "turn " + turn);
      assertEquals(ReadBuffers.UNDER_PRESSURE_BYTES, next.writableBytes(), "turn " + turn);
      waiting.release();
      next.release();
    }
  }

  /** A finishing connection drops what it reads: small reads, however little the node holds. */
  @Test
  void smallReadsOnceWhatIsReadIsDropped() {
    ReadBuffers buffers = ReadBuffers.use(channel.config(), nodeHeld, false);
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
    ReadBuffers buffers = ReadBuffers.use(channel.config(), nodeHeld, false);
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
      ReadBuffers.use(channel.config(), nodeHeld, false);
    }
    RecvByteBufAllocator.Handle reads = channel.config().getRecvByteBufAllocator().newHandle();
    reads.reset(channel.config());
    return reads;
  }

  /** {@code turns} turns of one read of {@code bytes} each: the adaptive guess follows. */
  private void readsOf(RecvByteBufAllocator.Handle reads, int bytes, int turns) {
    for (int i = 0; i < turns; i++) {
      reads.reset(channel.config());
      reads.incMessagesRead(1);
      reads.attemptedBytesRead(reads.guess());
      reads.lastBytesRead(bytes);
      reads.readComplete();
    }
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
