package capslock.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady load of TCP requests: on each connection a numbered line, and the next one once its
 * reply is back, so that every reply can be checked byte for byte and in order.
 */
final class SteadyTcpLoad {

  private final NetClient client; // held: Vert.x closes an unreachable client's connections
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong correct = new AtomicLong();
  private final AtomicLong longestWaitNanos = new AtomicLong();
  private final List<Future<Void>> connections = new ArrayList<>();
  private volatile boolean stopping;

  SteadyTcpLoad(Vertx vertx) {

    this.client = vertx.createNetClient();
  }

  /** Opens {@code count} connections to 127.0.0.1:{@code port}, each sending at once. */
  Future<Void> start(int port, int count) {
    List<Future<NetSocket>> opened = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int connection = i;
      Future<NetSocket> connected = client.connect(port, "127.0.0.1");
      opened.add(connected);
      connections.add(connected.compose(socket -> run(socket, connection))); // both lists on the caller's thread
    }
    return Future.all(opened).mapEmpty();
  }

  /** No new requests; completes when every request sent has its reply (or a connection failed). */
  Future<Void> stop() {
    stopping = true;
    return Future.all(connections).mapEmpty();
  }

  long sent() {
    return sent.get();
  }

  long received() {
    return received.get();
  }

  long correct() {
    return correct.get();
  }

  /** The longest a request waited for its reply, in milliseconds. */
  long longestWaitMillis() {
    return longestWaitNanos.get() / 1_000_000;
  }

  private Future<Void> run(NetSocket socket, int connection) {
    return new Connection(socket, connection).done.future();
  }

  /** One connection's exchange; its handlers all run on the socket's event loop. */
  private final class Connection {
    private final NetSocket socket;
    private final int id;
    private final Promise<Void> done = Promise.promise();
    private Buffer reply = Buffer.buffer();
    private Buffer expected;
    private long number;
    private long sentAt;

    Connection(NetSocket socket, int id) {
      this.socket = socket;
      this.id = id;
      socket.handler(this::onBytes);
      socket.closeHandler(closed -> done.tryFail("connection " + id + " was closed by the server"));
      sendNext();
    }

    private void sendNext() {
      String line = "piece " + number++ + " of connection " + id + ", straße\n";
      expected = Buffer.buffer(line.toUpperCase(Locale.ROOT), StandardCharsets.UTF_8.name());
      sent.incrementAndGet();
      sentAt = System.nanoTime();
      socket.write(line);
    }

    private void onBytes(Buffer bytes) {
      reply.appendBuffer(bytes);
      if (reply.length() < expected.length()) {
        return;
      }
      received.incrementAndGet();
      longestWaitNanos.accumulateAndGet(System.nanoTime() - sentAt, Math::max);
      if (!reply.equals(expected)) {
        done.tryFail("connection " + id + " expected " + expected + " but got " + reply);
        socket.close();
        return;
      }
      correct.incrementAndGet();
      reply = Buffer.buffer();
      if (stopping) {
        done.tryComplete();
        socket.close();
      } else {
        sendNext();
      }
    }
  }
}
