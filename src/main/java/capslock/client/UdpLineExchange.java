package capslock.client;

import capslock.protocol.DatagramChannels;
import capslock.protocol.Network;
import capslock.protocol.Protocol;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The lesson's UDP client: each line (without its newline) is one datagram, and the next datagram
 * is its reply. A request whose reply never came may still be answered late, and the late reply
 * would be taken for the next request's: so the request after one left unanswered goes from a new
 * local port, and the old socket is closed (unless a local port was asked for: then the late reply
 * may still come).
 */
public final class UdpLineExchange implements LineExchange {

  private final Vertx vertx;
  private final Context context; // the socket's event loop: the pending reply is touched only there
  private final String address;
  private final InetAddress server; // the address replies must come from, with the port
  private final Endpoint endpoint; // as the user named it
  private final boolean anyLocalPort;
  private volatile DatagramSocket socket; // replaced on the event loop only
  private Promise<Answer> reply; // the last request's, until its reply comes
  private long sentAt;

  /** A datagram that came back, and the round trip, taken on the socket's event loop. */
  record Answer(DatagramPacket packet, long roundTripNanos) {}

  private UdpLineExchange(Vertx vertx, DatagramSocket socket, String address, Endpoint endpoint) {
    this.vertx = vertx;
    this.context = Vertx.currentContext();
    this.address = address;
    this.endpoint = endpoint;
    this.server = new InetSocketAddress(address, 0).getAddress(); // an address: no look-up
    this.anyLocalPort = endpoint.localPort() == 0;
    use(socket);
  }

  /** Binds the local socket (the lesson's client binds first, then sends). */
  public static Future<UdpLineExchange> open(Vertx vertx, Endpoint endpoint) {
    String address = endpoint.resolvedAddress();
    return bind(vertx, address, endpoint.localPort())
        .map(bound -> new UdpLineExchange(vertx, bound, address, endpoint));
  }

  private static Future<DatagramSocket> bind(Vertx vertx, String address, int localPort) {
    DatagramSocket socket =
        vertx.createDatagramSocket(
            new DatagramSocketOptions()
                .setIpV6(address.contains(":"))
                .setReceiveBufferSize(64 * 1024)); // replies up to the largest datagram, whole
    String any = address.contains(":") ? "::" : "0.0.0.0";
    return socket
        .listen(localPort, any)
        .recover(
            error ->
                Future.failedFuture(
                    Network.isAddressInUse(error)
                        ? ClientFailure.localPortInUse(localPort)
                        : new ClientFailure("Cannot open a UDP socket: " + error.getMessage())));
  }

  private void use(DatagramSocket bound) {
    socket = bound;
    bound.handler(packet -> onDatagram(bound, packet));
  }

  @Override
  public int localPort() {
    return socket.localAddress().port();
  }

  @Override
  public Future<Reply> send(Buffer line) {
    return request(line).map(answer -> new Reply(answer.packet().data(), answer.roundTripNanos()));
  }

  /** Sends one datagram and gives the next one that comes back. */
  Future<Answer> request(Buffer payload) {
    Promise<Answer> answer = Promise.promise();
    context.runOnContext(
        onEventLoop ->
            awayFromLateReplies()
                .onSuccess(ready -> send(payload, answer))
                .onFailure(answer::tryFail));
    return answer.future();
  }

  /**
   * After a request left unanswered, a new socket on a new port: the late reply goes to the old
   * one, closed.
   */
  private Future<Void> awayFromLateReplies() {
    if (reply == null || !anyLocalPort) {
      return Future.succeededFuture();
    }
    reply = null;
    DatagramSocket old = socket;
    return bind(vertx, address, 0)
        .map(
            bound -> {
              use(bound);
              old.close();
              return null;
            });
  }

  private void send(Buffer payload, Promise<Answer> answer) {
    reply = answer;
    sentAt = System.nanoTime();
    try {
      DatagramChannel channel = DatagramChannels.of(socket);
      if (payload.length() == 0 && DatagramChannels.dropsEmptyDatagrams(channel)) {
        DatagramChannels.sendEmpty(
            channel, new InetSocketAddress(address, endpoint.port())); // an empty line
      } else {
        socket
            .send(payload, endpoint.port(), address)
            .onFailure(failure -> cannotSend(answer, failure));
      }
    } catch (IOException | RuntimeException refused) { // e.g. an address Netty will not take
      cannotSend(answer, refused);
    }
  }

  private void cannotSend(Promise<Answer> answer, Throwable why) {
    answer.tryFail(new ClientFailure("Cannot send to " + endpoint + ": " + why.getMessage()));
  }

  @Override
  public int longestLine() {
    return Protocol.MAX_DATAGRAM_BYTES;
  }

  @Override
  public String longestLineIs() {
    return "the largest datagram";
  }

  @Override
  public boolean survivesTimeout() {
    return true;
  }

  @Override
  public Future<Void> closeAsync() {
    return socket.close();
  }

  private void onDatagram(DatagramSocket to, DatagramPacket packet) {
    long roundTrip = System.nanoTime() - sentAt;
    Promise<Answer> waiting = reply;
    if (to != socket || waiting == null || !fromServer(packet.sender())) {
      return; // late: to a socket left behind, or after its request timed out; or not the server's
    }
    reply = null;
    waiting.complete(new Answer(packet, roundTrip));
  }

  /**
   * Whether {@code sender} is the server's address and port, as a connected socket would check. A
   * server named by the wildcard address (0.0.0.0, ::) is this machine, which answers from one of
   * its own addresses: then the port is what tells.
   */
  private boolean fromServer(SocketAddress sender) {
    return sender.port() == endpoint.port()
        && (server.isAnyLocalAddress()
            || server.equals(new InetSocketAddress(sender.hostAddress(), 0).getAddress()));
  }
}
