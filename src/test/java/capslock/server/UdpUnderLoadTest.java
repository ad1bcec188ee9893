package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * UDP with many requests in flight, as load generators and busy clients send them, against
 * several uppercase workers (which finish requests in any order): every reply comes, exact,
 * and each socket gets its replies in the order it sent its requests.
 */
@ExtendWith(VertxExtension.class)
class UdpUnderLoadTest {

  private static final int SOCKETS = 16;
  private static final int IN_FLIGHT = 16;
  private static final int PER_SOCKET = 400;

  @Test
  void sixteenSocketsWithSixteenInFlightGetEveryReplyExactAndInOrder(Vertx vertx) throws Exception {
    JsonObject fourWorkers = new JsonObject().put("worker", new JsonObject().put("instances", 4));
    int port = TestServer.start(vertx, fourWorkers).await().udpPort();

    List<Future<Integer>> done = new ArrayList<>();
    for (int i = 0; i < SOCKETS; i++) {
      done.add(Pipelined.run(vertx, port, i));
    }
    List<Integer> answered = Future.all(done).await(60, TimeUnit.SECONDS).list();

    assertEquals(PER_SOCKET * SOCKETS, answered.stream().mapToInt(Integer::intValue).sum());
  }

  /**
   * One socket keeping {@link #IN_FLIGHT} requests out until it has sent {@link #PER_SOCKET}:
   * each reply must be the upper case of its oldest request out. Fails at the first reply that is not.
   */
  private static final class Pipelined {
    private final DatagramSocket socket;
    private final int port;
    private final int id;
    private final Promise<Integer> finished = Promise.promise();
    private int sent;
    private int answered;

    private Pipelined(DatagramSocket socket, int port, int id) {
      this.socket = socket;
      this.port = port;
      this.id = id;
    }

    static Future<Integer> run(Vertx vertx, int port, int id) {
      DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(256 * 1024));
      return socket.listen(0, "127.0.0.1").compose(bound -> {
        Pipelined pipelined = new Pipelined(bound, port, id);
        vertx.runOnContext(start -> pipelined.start()); // on the socket's event loop, as its handler
        return pipelined.finished.future().andThen(closing -> bound.close());
      });
    }

    private void start() {
      socket.handler(packet -> onReply(packet.data()));
      for (int i = 0; i < IN_FLIGHT; i++) {
        sendNext();
      }
    }

    private static String request(int id, int seq) {
      return "socket " + id + " request " + seq + ": straße ǰ ﬁ ΐ 한국어 😀";
    }

    private void sendNext() {
      socket.send(Buffer.buffer(request(id, sent++)), port, "127.0.0.1");
    }

    private void onReply(Buffer reply) {
      String expected = request(id, answered).toUpperCase(Locale.ROOT);
      if (!expected.equals(reply.toString())) {
        finished.tryFail("socket " + id + ": reply " + answered + " was '" + reply + "', expected '" + expected + "'");
        return;
      }
      answered++;
      if (sent < PER_SOCKET) {
        sendNext();
      } else if (answered == PER_SOCKET) {
        finished.tryComplete(answered);
      }
    }
  }
}
