package capslock.server;

import capslock.config.ListenFailure;
import capslock.config.Settings;
import capslock.limits.SourceLimits;
import capslock.metrics.Traffic;
import capslock.metrics.TrafficFeed;
import capslock.worker.Uppercase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP front end: one reply datagram per request datagram, sent from the listening socket
 * (so from the server's port) to the request's source address and port. For teaching, it can
 * drop a fraction of the requests and delay the replies ({@code udp.simulatedLoss},
 * {@code udp.simulatedDelayMs}): the delay is a timer, never a blocked thread.
 */
final class UdpEndpoint {

  /**
   * Both the socket's receive buffer (SO_RCVBUF) and the size Vert.x reads each datagram into.
   * Vert.x's default reads 2 KiB, truncating larger datagrams; 64 KiB receives any whole, but
   * the kernel then queues only about 170 small datagrams and drops the rest of a burst
   * (976 lost in 5 s of udp-16x16); 1 MiB loses none.
   */
  private static final int RECEIVE_BUFFER_BYTES = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(UdpEndpoint.class);

  private final Vertx vertx;
  private final Settings.Udp settings;
  private final Uppercase uppercase;
  private final SourceLimits limits;
  private final DatagramSocket socket;
  private final Random loss;
  private final Traffic traffic;
  private int inFlight;
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
    this.loss = settings.simulatedLossSeed() == null ? new Random() : new Random(settings.simulatedLossSeed());
  }

  Future<Void> listen() {
    socket.handler(this::onRequest);
    return socket.listen(settings.port(), settings.host())
        .onSuccess(bound -> log.info("UDP listening on {}:{}", settings.host(), bound.localAddress().port()))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(ListenFailure.of("UDP", settings.host(), settings.port(), failure)));
  }

  /** Stops answering new requests, sends the replies still owed (waiting at most {@code grace}), then closes. */
  Future<Void> shutdown(Duration grace) {
    drained = Promise.promise();
    if (inFlight == 0) {
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



  private void onRequest(DatagramPacket request) {
    if (drained != null) {
      return; // closing
    }
    if (!limits.admitDatagram(request.sender().hostAddress(), request.data().length())) {
      return;
    }
    if (settings.simulatedLoss() > 0 && loss.nextDouble() < settings.simulatedLoss()) {
      traffic.udpSimulatedLosses.increment();
      log.debug("Simulated loss: no reply to {}", request.sender());
      return;
    }
    inFlight++;
    traffic.udpDatagrams.increment();
    traffic.udpBytesIn.add(request.data().length());
    SocketAddress sender = request.sender();
    // traffic feed (http.showTraffic): noted before the workers see the datagram
    TrafficFeed.Request seen = traffic.feed == null ? null : traffic.feed.request("UDP", sender, request.data());
    uppercase.apply(request.data())
        .compose(this::simulatedDelay)
        .onSuccess(reply -> {
          if (send(reply, sender) && seen != null) {
            traffic.feed.replied(seen, reply);
          }
        })
        .onComplete(done -> {
          if (--inFlight == 0 && drained != null) {
            drained.tryComplete();
          }
        });
  }

  private Future<Buffer> simulatedDelay(Buffer reply) {
    if (settings.simulatedDelayMs() == 0) {
      return Future.succeededFuture(reply);
    }
    return vertx.timer(settings.simulatedDelayMs()).map(reply);
  }

  /** Sends {@code reply} unless it is too large: whether it was sent. */
  private boolean send(Buffer reply, SocketAddress to) {
    // Checked before sending: with the epoll transport, an oversize send breaks the socket for good.
    if (reply.length() > settings.maxDatagramBytes()) {
      traffic.udpOversizeRepliesDropped.increment();
      log.warn("Reply to {} not sent: {} bytes is more than udp.maxDatagramBytes ({}); {} such replies so far",
          to, reply.length(), settings.maxDatagramBytes(), traffic.udpOversizeRepliesDropped.sum());
      return false;
    }
    traffic.udpBytesOut.add(reply.length());
    socket.send(reply, to.port(), to.host())
        .onFailure(failure -> log.warn("Reply to {} not sent: {}", to, failure.getMessage()));
    return true;
  }
}
