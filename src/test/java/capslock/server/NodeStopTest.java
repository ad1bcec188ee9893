package capslock.server;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.text.Utf8Upper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node that stops (Ctrl+C, or an application undeploying it) in the middle of its clients' input:
 * what its endpoints have read is answered by its workers, which Vert.x stops together with them,
 * and nothing waits for a worker's time-out.
 */
@ExtendWith(VertxExtension.class)
class NodeStopTest {

  private static final int CONNECTIONS = 8;

  /** One worker, so that pieces wait for it while the node stops. */
  private static final JsonObject ONE_WORKER =
      new JsonObject().put("worker", new JsonObject().put("instances", 1));

  /**
   * Real text whose upper case has as many bytes (Greek, Cyrillic, ASCII, Hangul), so that a reply
   * of n bytes is the upper case of the input's first n.
   */
  private static final String TEXT = "ελληνικά ωμέγα, русский текст, hello, 안녕하세요 세계; ";

  @Test
  @Timeout(60)
  void answersThroughItsWorkersAllItHasReadWhenItStops(Vertx vertx) throws Exception {
    byte[] input = TEXT.repeat(4 * 1024 * 1024 / TEXT.length()).getBytes(StandardCharsets.UTF_8);
    TestServer.Running server = TestServer.start(vertx, ONE_WORKER).await(10, SECONDS);
    List<TcpTestClient> clients = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      clients.add(TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS));
    }
    clients.forEach(
        client -> client.send(TcpTestClient.cut(input, 64 * 1024))); // fails once the node closes
    // the node is busy now: pieces read from eight connections wait for its one worker
    clients.get(0).received(1).await(10, SECONDS);

    vertx.undeploy(server.main().deploymentID()).await(30, SECONDS);

    long answered = 0;
    for (TcpTestClient client : clients) {
      byte[] reply = client.closed().await(10, SECONDS).getBytes();
      assertArrayEquals(Utf8Upper.apply(Arrays.copyOf(input, reply.length)), reply);
      // closed after a FIN, once the client had read it: a reset would have destroyed replies
      assertEquals(List.of(), client.failures());
      answered += reply.length;
    }
    assertTrue(answered < (long) CONNECTIONS * input.length, "it stopped in the middle");
    assertEquals(
        server.count("capslock.tcp.bytes.in"), answered, "every byte it read was answered");
    assertEquals(
        0, server.count("capslock.worker.retries"), "no piece was dropped by a worker gone first");
    assertEquals(0, server.count("capslock.worker.local.fallbacks"));
  }

  /**
   * A client that reads nothing, so that the server has stopped reading it, and that has then
   * finished sending (its FIN waits behind input the server has not read): at the stop it gets the
   * replies to everything the server read, and then a FIN, not a reset, once it reads them. The
   * server reads and drops the rest to find the client's FIN, and so closes as soon as the client
   * has read its replies, not when its wait for a client that does not read runs out.
   */
  @Test
  @Timeout(60)
  void aPausedClientThatHasFinishedSendingGetsEveryReplyOwedAtAStop(Vertx vertx) throws Exception {
    // more than every buffer between the two holds while the client reads nothing
    byte[] input = TEXT.repeat(32 * 1024 * 1024 / TEXT.length()).getBytes(StandardCharsets.UTF_8);
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    TcpTestClient client = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    client.socket().pause();
    client.send(TcpTestClient.cut(input, 64 * 1024)); // fails at the half-close below
    Conditions.awaitCondition(
        vertx, () -> server.count("capslock.tcp.backpressure.pauses") > 0); // it stopped reading
    client.finishSending().await(10, SECONDS);

    Future<Void> stopped = vertx.undeploy(server.main().deploymentID());
    server.endpoints().stopping().await(10, SECONDS);
    client.socket().resume();

    byte[] reply = client.closed().await(10, SECONDS).getBytes();
    stopped.await(TcpConnection.LINGER_MS - 500, MILLISECONDS); // not at the end of its wait
    assertEquals(List.of(), client.failures(), "closed after a FIN: a reset destroys replies");
    assertArrayEquals(Utf8Upper.apply(Arrays.copyOf(input, reply.length)), reply);
    assertEquals(reply.length, server.count("capslock.tcp.bytes.in"), "all it read was answered");
    assertTrue(reply.length < input.length, "it stopped in the middle");
  }
}
