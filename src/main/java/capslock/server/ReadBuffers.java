package capslock.server;

import capslock.limits.HeldBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The buffers a TCP connection reads into: sized as Netty's adaptive allocator guesses from the
 * last reads (64 bytes to 16 KiB); 1 KiB while the node is pressed (it holds half its bound, {@code
 * tcp.maxPendingBytes}, or its direct memory presses: see {@code DirectMemory}), and at most 1 KiB
 * once the connection only drops what it reads. Each reading connection has a buffer waiting for
 * its next read (io_uring takes it when the read is asked for), and a connection that holds nothing
 * reads once more when the node is over its bound: at 16 KiB, two thousand clients that never read
 * went far past the bound and ran the node out of direct memory.
 *
 * <p>It also tells a paused connection whether Netty reads on regardless: more than one buffer
 * asked for since the pause. Netty's io_uring transport reads a socket to its end once the client
 * has sent its FIN or a reset, paused or not, so that a thousand such clients poured what the
 * kernel held for them, hundreds of megabytes, into the node. Java NIO may ask for one buffer in
 * the turn a connection pauses, and no more.
 */
final class ReadBuffers extends AdaptiveRecvByteBufAllocator {

  static final int MAX_BYTES = 16 * 1024;

  /** A connection's first read: Netty's adaptive guess before it has seen any. */
  static final int FIRST_GUESS_BYTES = 2048;

  static final int UNDER_PRESSURE_BYTES = 1024;

  private final ChannelConfig config;
  private final HeldBytes nodeHeld;
  private final boolean readsWait; // the first read of a turn, with its buffer, for data to come
  private int askedWhilePaused; // buffers, since the channel last read of its own will
  private boolean toDrop;

  private ReadBuffers(ChannelConfig config, HeldBytes nodeHeld, boolean readsWait) {
    super(64, FIRST_GUESS_BYTES, MAX_BYTES);
    this.config = config;
    this.nodeHeld = nodeHeld;
    this.readsWait = readsWait;
  }

  /** Makes {@code channel} read so, as many reads a turn as before. */
  static ReadBuffers use(Channel channel, HeldBytes nodeHeld) {
    return use(channel.config(), nodeHeld, channel instanceof IoUringSocketChannel);
  }

  /**
   * The same for the channel of {@code config}, whose first read of a turn waits for data with its
   * buffer ({@code readsWait}: io_uring) or is made once data has come (Java NIO).
   */
  static ReadBuffers use(ChannelConfig config, HeldBytes nodeHeld, boolean readsWait) {
    int readsPerTurn =
        config.getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator current
            ? current.maxMessagesPerRead()
            : 16;
    ReadBuffers buffers = new ReadBuffers(config, nodeHeld, readsWait);
    buffers.maxMessagesPerRead(readsPerTurn);
    config.setRecvByteBufAllocator(buffers);
    return buffers;
  }

  /**
   * Reads into at most 1 KiB from now on, as the connection only drops what it reads (its input
   * ended, it reads its client's rest): at a stop each of thousands of connections has a read
   * waiting, which at 16 KiB ran the node out of direct memory and held the stop.
   */
  void readToDrop() {
    toDrop = true;
  }

  /**
   * Whether Netty reads on while the channel is paused: the input of a client that has ended its
   * side (a FIN or a reset), read to its end.
   */
  boolean drainsWhilePaused() {
    return askedWhilePaused > 1;
  }

  @Override
  public Handle newHandle() {
    return new Sized((ExtendedHandle) super.newHandle());
  }

  /** The adaptive guess, made small under pressure or to drop; and what is asked while paused. */
  private final class Sized extends DelegatingHandle implements ExtendedHandle {

    private boolean firstOfTurn = true;

    Sized(ExtendedHandle adaptive) {
      super(adaptive);
    }

    /**
     * Under pressure a read is 1 KiB, even after short lines made the adaptive guess smaller: a
     * turn's reads (16 on Java NIO) then still take a 16 KiB piece whole, to be answered with one
     * write (grown back from 64 bytes, they took 10 KiB of it, and the rest came in a second
     * reply). But a read that waits for data keeps the smaller guess: every connection has one, and
     * io_uring reads on within the turn, as many times as data is there.
     */
    @Override
    public int guess() {
      int adaptive = delegate().guess();
      int small = Math.min(adaptive, UNDER_PRESSURE_BYTES);
      if (toDrop) {
        return small;
      }
      if (!nodeHeld.pressed()) {
        return adaptive;
      }
      return readsWait && firstOfTurn ? small : UNDER_PRESSURE_BYTES;
    }

    @Override
    public void reset(ChannelConfig config) {
      super.reset(config);
      firstOfTurn = true;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      askedWhilePaused = config.isAutoRead() ? 0 : askedWhilePaused + 1;
      ByteBuf buffer = alloc.ioBuffer(guess());
      firstOfTurn = false;
      return buffer;
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
    }
  }
}
