package capslock.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * UDP sockets that each keep several requests in flight, as load generators and busy clients do,
 * and check that each reply is the upper case of the oldest request they have out: every reply
 * comes, exact, and in order. Fails at the first reply that is not so.
 */
final class UdpPipelinedClient {

  private final DatagramSocket socket;
  private final int port;
  private final int id;
  private final int inFlight;
  private final int total;
  private final Promise<Integer> finished = Promise.promise();
  private int sent;
  private int answered;

  private UdpPipelinedClient(DatagramSocket socket, int port, int id, int inFlight, int total) {
    this.socket = socket;
    this.port = port;
    this.id = id;
    this.inFlight = inFlight;
    this.total = total;
  }

  /**
   * {@code sockets} sockets, each sending {@code perSocket} requests with {@code inFlight} out at
   * once: the replies checked.
   */
  static Future<Integer> run(Vertx vertx, int port, int sockets, int inFlight, int perSocket) {
    List<Future<Integer>> done = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      done.add(open(vertx, port, i, inFlight, perSocket));
    }
    return Future.all(done)
        .map(all -> all.<Integer>list().stream().mapToInt(Integer::intValue).sum());
  }

  /**
   * Opens the socket and runs the client on one event loop, the socket's own: Vert.x resolves a
   * datagram's destination before it writes it, and a send made from another thread may be written
   * after a later one (seen: request 1 on the wire 7 ms before request 0).
   */
  private static Future<Integer> open(Vertx vertx, int port, int id, int inFlight, int total) {
    // from the test's thread, an event loop of its own; from an event loop, that one
    Context context = vertx.getOrCreateContext();
    Promise<Integer> done = Promise.promise();
    context.runOnContext(
        onItsEventLoop ->
            vertx
                .createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(256 * 1024))
                .listen(0, "127.0.0.1")
                .compose(
                    bound -> {
                      UdpPipelinedClient client =
                          new UdpPipelinedClient(bound, port, id, inFlight, total);
                      client.start();
                      return client.finished.future().andThen(closing -> bound.close());
                    })
                .onComplete(done));
    return done.future();
  }

  private void start() {
    socket.handler(packet -> onReply(packet.data()));
    for (int i = 0; i < inFlight; i++) {
      sendNext();
    }
  }

  private String request(int seq) {
    return "socket " + id + " request " + seq + ": straße ǰ ﬁ ΐ 한국어 😀";
  }

  private void sendNext() {
    socket.send(Buffer.buffer(request(sent++)), port, "127.0.0.1");
  }

  private void onReply(Buffer reply) {
    String expected = request(answered).toUpperCase(Locale.ROOT);
    if (!expected.equals(reply.toString())) {
      finished.tryFail(
          "socket "
              + id
              + ": reply "
              + answered
              + " was '"
              + reply
              + "', expected '"
              + expected
              + "'");
      return;
    }
    answered++;
    if (sent < total) {
      sendNext();
    } else if (answered == total) {
      finished.tryComplete(answered);
    }
  }
}
