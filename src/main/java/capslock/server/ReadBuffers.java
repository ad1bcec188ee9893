package capslock.server;

import capslock.limits.HeldBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The buffers a TCP connection reads into: sized as Netty's adaptive allocator guesses from the
 * last reads (64 bytes to 16 KiB), and at most 1 KiB while the node holds half its bound ({@code
 * tcp.maxPendingBytes}) or more. Each reading connection has a buffer waiting for its next read
 * (io_uring takes it when the read is asked for), and a connection that holds nothing reads once
 * more when the node is over its bound: at 16 KiB, two thousand clients that never read went far
 * past the bound and ran the node out of direct memory.
 */
final class ReadBuffers extends AdaptiveRecvByteBufAllocator {

  static final int MAX_BYTES = 16 * 1024;

  static final int UNDER_PRESSURE_BYTES = 1024;

  private final HeldBytes nodeHeld;

  private ReadBuffers(HeldBytes nodeHeld) {
    super(64, 2048, MAX_BYTES);
    this.nodeHeld = nodeHeld;
  }

  /** Makes the channel of {@code config} read so, as many reads a turn as before. */
  static void use(ChannelConfig config, HeldBytes nodeHeld) {
    int readsPerTurn =
        config.getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator current
            ? current.maxMessagesPerRead()
            : 16;
    config.setRecvByteBufAllocator(new ReadBuffers(nodeHeld).maxMessagesPerRead(readsPerTurn));
  }

  @Override
  public Handle newHandle() {
    return new Sized((ExtendedHandle) super.newHandle());
  }

  /** The adaptive guess, made small under pressure. */
  private final class Sized extends DelegatingHandle implements ExtendedHandle {

    Sized(ExtendedHandle adaptive) {
      super(adaptive);
    }

    @Override
    public int guess() {
      int adaptive = delegate().guess();
      return nodeHeld.pressed() ? Math.min(adaptive, UNDER_PRESSURE_BYTES) : adaptive;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      return alloc.ioBuffer(guess());
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
    }
  }
}
