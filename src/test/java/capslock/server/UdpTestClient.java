package capslock.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A real Vert.x UDP socket on loopback that takes its replies in the order they come; usable from
 * any thread.
 */
final class UdpTestClient {
  private final DatagramSocket socket;
  private final Queue<Promise<DatagramPacket>> waiting = new ArrayDeque<>(); // guarded by itself

  private UdpTestClient(DatagramSocket socket) {
    this.socket = socket;
    socket.handler(
        packet -> {
          Promise<DatagramPacket> next;
          synchronized (waiting) {
            next = waiting.poll();
          }
          if (next != null) {
            next.complete(packet);
          }
        });
  }

  static Future<UdpTestClient> open(Vertx vertx) {
    DatagramSocket socket =
        vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(64 * 1024));
    return socket.listen(0, "127.0.0.1").map(UdpTestClient::new);
  }

  Future<Void> send(int port, Buffer payload) {
    return socket.send(payload, port, "127.0.0.1");
  }

  /** Sends {@code payload} and gives the next datagram that arrives. */
  Future<DatagramPacket> request(int port, Buffer payload) {
    Promise<DatagramPacket> reply = Promise.promise();
    synchronized (waiting) {
      waiting.add(reply);
    }
    return send(port, payload).compose(sent -> reply.future());
  }
}
