package capslock.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * What a Vert.x {@code NetSocket} does not tell a {@link TcpConnection}, taken from its Netty
 * channel:
 *
 * <ul>
 *   <li>TCP half-close. When a client shuts down its sending side, Netty would close the whole
 *       connection and the replies still owed to it would be lost. This keeps it open ({@code
 *       ALLOW_HALF_CLOSURE}) and turns the client's FIN into an empty buffer, which reaches the
 *       socket's handler after every byte that came before it, in order, even while the socket is
 *       paused. Netty never reads an empty buffer from the network, so the mark cannot be mistaken
 *       for data.
 *   <li>The idle timeout about to close the connection (Vert.x says nothing of why it closes one).
 *   <li>The channel becoming writable again: the connection writes its replies to the channel
 *       itself, past Vert.x's write queue, whose drain handler therefore never hears of it.
 * </ul>
 */
final class ConnectionEvents extends ChannelInboundHandlerAdapter {

  private final Runnable onIdle;
  private final Runnable onWritabilityChanged;

  private ConnectionEvents(Runnable onIdle, Runnable onWritabilityChanged) {
    this.onIdle = onIdle;
    this.onWritabilityChanged = onWritabilityChanged;
  }

  /** Puts the events on {@code socket}'s channel, just before Vert.x's own handler. */
  static void listen(NetSocketInternal socket, Runnable onIdle, Runnable onWritabilityChanged) {
    ChannelHandlerContext vertxHandler = socket.channelHandlerContext();
    vertxHandler.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    vertxHandler
        .pipeline()
        .addBefore(
            vertxHandler.name(),
            "capslock-events",
            new ConnectionEvents(onIdle, onWritabilityChanged));
  }

  /**
   * Whether a buffer read from the socket is the end-of-input mark: no read from the network is
   * ever empty.
   */
  static boolean isEndOfInput(ByteBuf bytes) {
    return bytes.readableBytes() == 0;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      ctx.fireChannelRead(Unpooled.EMPTY_BUFFER);
      ctx.fireChannelReadComplete();
    } else if (event instanceof IdleStateEvent) {
      onIdle.run();
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    onWritabilityChanged.run();
    ctx.fireChannelWritabilityChanged();
  }
}
