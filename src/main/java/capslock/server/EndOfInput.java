package capslock.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * TCP half-close for a Vert.x {@link NetSocket}, which has none of its own: when a client
 * shuts down its sending side, Netty would close the whole connection and the replies still
 * owed to it would be lost. This keeps the connection open ({@code ALLOW_HALF_CLOSURE}) and
 * turns the client's FIN into an empty buffer, which reaches the socket's handler after every
 * byte that came before it, in order, even while the socket is paused. Netty never reads an
 * empty buffer from the network, so the mark cannot be mistaken for data.
 */
final class EndOfInput extends ChannelInboundHandlerAdapter {

  private final Runnable onIdle;

  private EndOfInput(Runnable onIdle) {
    this.onIdle = onIdle;
  }

  /**
   * Makes the end of the client's input arrive at {@code socket}'s handler as an empty buffer;
   * and runs {@code onIdle} when the idle timeout is about to close the connection (Vert.x says
   * nothing of why it closes one).
   */
  static void markOn(NetSocket socket, Runnable onIdle) {
    ChannelHandlerContext vertxHandler = ((NetSocketInternal) socket).channelHandlerContext();
    vertxHandler.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    vertxHandler.pipeline().addBefore(vertxHandler.name(), "capslock-end-of-input", new EndOfInput(onIdle));
  }

  static boolean isMark(Buffer bytes) {
    return bytes.length() == 0;
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
}
