package capslock.client;

import capslock.protocol.Network;
import capslock.protocol.Protocol;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.nio.charset.StandardCharsets;

/**
 * The lesson's UDP client: each line (without its newline) is one datagram, and the next datagram
 * is its reply.
 */
public final class UdpLineExchange implements LineExchange {

  private final DatagramSocket socket;
  private final Context context; // the socket's event loop: the pending reply is touched only there
  private final String address;
  private final int port;
  private Promise<Answer> reply;
  private long sentAt;

  /** A datagram that came back, and the round trip, taken on the socket's event loop. */
  record Answer(DatagramPacket packet, long roundTripNanos) {}

  private UdpLineExchange(DatagramSocket socket, String address, int port) {
    this.socket = socket;
    this.context = Vertx.currentContext();
    this.address = address;
    this.port = port;
    socket.handler(this::onDatagram);
  }

  /** Binds the local socket (the lesson's client binds first, then sends). */
  public static Future<UdpLineExchange> open(Vertx vertx, Endpoint endpoint) {
    String address = endpoint.resolvedAddress();
    DatagramSocket socket =
        vertx.createDatagramSocket(
            new DatagramSocketOptions()
                .setIpV6(address.contains(":"))
                .setReceiveBufferSize(64 * 1024)); // replies up to the largest datagram, whole
    String any = address.contains(":") ? "::" : "0.0.0.0";
    return socket
        .listen(endpoint.localPort(), any)
        .map(bound -> new UdpLineExchange(bound, address, endpoint.port()))
        .recover(
            error ->
                Future.failedFuture(
                    Network.isAddressInUse(error)
                        ? ClientFailure.localPortInUse(endpoint.localPort())
                        : new ClientFailure("Cannot open a UDP socket: " + error.getMessage())));
  }

  @Override
  public int localPort() {
    return socket.localAddress().port();
  }

  @Override
  public Future<Reply> send(String line) {
    return request(Buffer.buffer(line))
        .map(
            answer ->
                new Reply(
                    answer.packet().data().toString(StandardCharsets.UTF_8),
                    answer.roundTripNanos()));
  }

  /** Sends one datagram and gives the next one that comes back. */
  Future<Answer> request(Buffer payload) {
    if (payload.length() > Protocol.MAX_DATAGRAM_BYTES) {
      return Future.failedFuture(new LineTooLong(payload.length()));
    }
    Promise<Answer> answer = Promise.promise();
    context.runOnContext(
        onEventLoop -> {
          reply = answer;
          sentAt = System.nanoTime();
          socket.send(payload, port, address).onFailure(answer::tryFail);
        });
    return answer.future();
  }

  @Override
  public boolean survivesTimeout() {
    return true;
  }

  @Override
  public Future<Void> closeAsync() {
    return socket.close();
  }

  private void onDatagram(DatagramPacket packet) {
    long roundTrip = System.nanoTime() - sentAt;
    Promise<Answer> waiting = reply;
    reply = null;
    if (waiting != null) {
      waiting.complete(
          // a reply that comes after its request timed out is dropped
          new Answer(packet, roundTrip));
    }
  }

  /** A line that does not fit in one datagram: refused, not sent, and the client goes on. */
  public static final class LineTooLong extends RuntimeException {
    LineTooLong(int bytes) {
      super(
          "Line not sent: "
              + bytes
              + " bytes is more than the largest datagram ("
              + Protocol.MAX_DATAGRAM_BYTES
              + " bytes)",
          null,
          false,
          false);
    }
  }
}
