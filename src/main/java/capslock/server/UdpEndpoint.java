package capslock.server;

import capslock.config.ListenFailure;
import capslock.config.Settings;
import capslock.limits.SourceLimits;
import capslock.metrics.Traffic;
import capslock.worker.Uppercase;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP front end: one reply datagram per request datagram, sent from the listening socket
 * (so from the server's port) to the request's source address and port, as it came. Replies
 * go out in the order their requests came in, like a single-threaded server's: the workers may
 * finish them in any order, and a client that matches each reply to the oldest request it has
 * out (the lesson's client, most load generators) must not see its replies swapped.
 *
 * <p>For teaching, it can drop a fraction of the requests and delay the replies
 * ({@code udp.simulatedLoss}, {@code udp.simulatedDelayMs}): the delay is a timer, never a
 * blocked thread.
 */
final class UdpEndpoint {

  /**
   * Both the socket's receive buffer (SO_RCVBUF) and the size Vert.x reads each datagram into.
   * Vert.x's default reads 2 KiB, truncating larger datagrams; 64 KiB receives any whole, but
   * the kernel then queues few small datagrams and drops the rest of a burst.
   */
  private static final int RECEIVE_BUFFER_BYTES = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(UdpEndpoint.class);

  /** A request taken, and its reply to come. */
  private record Pending(InetSocketAddress sender, Future<Buffer> reply) {
  }

  private final Vertx vertx;
  private final Settings.Udp settings;
  private final Uppercase uppercase;
  private final SourceLimits limits;
  private final DatagramSocket socket;
  private final DatagramChannel channel;
  private final Random loss;
  private final Traffic traffic;
  private final Deque<Pending> pending = new ArrayDeque<>(); // in arrival order
  private Promise<Void> drained; // set once closing: completed when no reply is owed any more

  UdpEndpoint(Vertx vertx, Settings.Udp settings, Uppercase uppercase, SourceLimits limits, Traffic traffic) {
    this.vertx = vertx;
    this.traffic = traffic;
    this.settings = settings;
    this.uppercase = uppercase;
    this.limits = limits;
    this.socket = vertx.createDatagramSocket(new DatagramSocketOptions()
        .setIpV6(settings.host().contains(":"))
        .setReceiveBufferSize(RECEIVE_BUFFER_BYTES));
    this.channel = DatagramChannels.of(socket);
    this.loss = settings.simulatedLossSeed() == null ? new Random() : new Random(settings.simulatedLossSeed());
  }

  Future<Void> listen() {
    channel.pipeline().addFirst("capslock-requests", new Requests());
    return socket.listen(settings.port(), settings.host())
        .onSuccess(bound -> log.info("UDP listening on {}:{}", settings.host(), bound.localAddress().port()))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(ListenFailure.of("UDP", settings.host(), settings.port(), failure)));
  }

  /** Stops answering new requests, sends the replies still owed (waiting at most {@code grace}), then closes. */
  Future<Void> shutdown(Duration grace) {
    drained = Promise.promise();
    if (pending.isEmpty()) {
      drained.complete();
    }
    long timer = vertx.setTimer(grace.toMillis(), late -> drained.tryComplete());
    return drained.future().compose(done -> {
      vertx.cancelTimer(timer);
      return socket.close();
    });
  }

  int port() {
    return socket.localAddress().port();
  }

  /** A request datagram, on the event loop; {@code data} is released by the caller. */
  private void onRequest(ByteBuf data, InetSocketAddress sender) {
    if (drained != null) {
      return; // closing
    }
    int length = data.readableBytes();
    if (!limits.admitDatagram(sender.getAddress().getHostAddress(), length)) {
      return;
    }
    if (settings.simulatedLoss() > 0 && loss.nextDouble() < settings.simulatedLoss()) {
      traffic.udpSimulatedLosses.increment();
      log.debug("Simulated loss: no reply to {}", sender);
      return;
    }
    traffic.udpDatagrams.increment();
    traffic.udpBytesIn.add(length);
    byte[] text = new byte[length];
    data.getBytes(data.readerIndex(), text);
    Future<Buffer> reply = uppercase.apply(Buffer.buffer(text)).compose(this::simulatedDelay);
    pending.add(new Pending(sender, reply));
    reply.onComplete(done -> sendAnswered());
  }

  private Future<Buffer> simulatedDelay(Buffer reply) {
    if (settings.simulatedDelayMs() == 0) {
      return Future.succeededFuture(reply);
    }
    return vertx.timer(settings.simulatedDelayMs()).map(reply);
  }

  /** Sends the replies that are ready, in arrival order (a reply waits for every earlier one), with one flush. */
  private void sendAnswered() {
    boolean sent = false;
    while (!pending.isEmpty() && pending.peek().reply().isComplete()) {
      Pending answered = pending.poll();
      if (answered.reply().succeeded()) { // failed only while Vert.x itself closes
        sent |= send(answered.reply().result(), answered.sender());
      }
    }
    if (sent) {
      channel.flush();
    }
    if (drained != null && pending.isEmpty()) {
      drained.tryComplete();
    }
  }

  private boolean send(Buffer reply, InetSocketAddress to) {
    // Checked before sending: with the epoll transport, an oversize send breaks the socket for good.
    if (reply.length() > settings.maxDatagramBytes()) {
      traffic.udpOversizeRepliesDropped.increment();
      log.warn("Reply to {} not sent: {} bytes is more than udp.maxDatagramBytes ({}); {} such replies so far",
          to, reply.length(), settings.maxDatagramBytes(), traffic.udpOversizeRepliesDropped.sum());
      return false;
    }
    traffic.udpBytesOut.add(reply.length());
    channel.write(new DatagramPacket(((BufferInternal) reply).getByteBuf(), to))
        .addListener(written -> {
          if (!written.isSuccess()) {
            log.warn("Reply to {} not sent: {}", to, written.cause().getMessage());
          }
        });
    return true;
  }

  /** Takes the socket's datagrams off the channel, before Vert.x's own handler would copy each one. */
  private final class Requests extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (message instanceof DatagramPacket datagram) {
        try {
          onRequest(datagram.content(), datagram.sender());
        } finally {
          datagram.release();
        }
      } else {
        ctx.fireChannelRead(message);
      }
    }
  }
}
