package capslock.server;

import static capslock.server.Conditions.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-source limits, seen from the network: loopback made subject to them, 127.0.0.2 as a
 * second source.
 */
@ExtendWith(VertxExtension.class)
class LimitsTest {

  private static final JsonObject NOT_EXEMPT =
      new JsonObject().put("limits", new JsonObject().put("exemptLoopback", false));

  @Test
  void aUdpFloodGetsAtMostItsLimitAndBurstWhileAnotherSourceIsAnswered(Vertx vertx)
      throws Exception {
    JsonObject config =
        NOT_EXEMPT
            .copy()
            .put(
                "udp",
                new JsonObject().put("limits", new JsonObject().put("datagramsPerSecond", 100)));
    TestServer.Running server = TestServer.start(vertx, config).await();
    AtomicInteger floodReplies = new AtomicInteger();
    DatagramSocket flooder = vertx.createDatagramSocket();
    flooder.handler(reply -> floodReplies.incrementAndGet());
    flooder.listen(0, "127.0.0.1").await();
    AtomicInteger otherReplies = new AtomicInteger();
    DatagramSocket other = vertx.createDatagramSocket();
    other.handler(reply -> otherReplies.incrementAndGet());
    other.listen(0, "127.0.0.2").await();

    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      flooder.send(Buffer.buffer("flood " + i), server.udpPort(), "127.0.0.1").await();
      if (i % 100 == 0) {
        other.send(Buffer.buffer("meanwhile"), server.udpPort(), "127.0.0.1").await();
      }
    }
    // every flood datagram is either answered or counted as over the limit
    awaitCondition(
        vertx,
        () ->
            floodReplies.get() + server.count("capslock.limits.udp.datagrams.limited") == 1000
                && otherReplies.get() == 10);
    // the server judged the flood within this time (from before the first send to after the last
    // verdict)
    double seconds = (System.nanoTime() - start) / 1e9;

    // what the bucket allows in that time, however fast this machine is: the burst of one second's
    // worth, then the rate for each second the flood lasted
    int burst = 100;
    long allowed = burst + (long) Math.ceil(100 * seconds) + 1;
    int replies = floodReplies.get();
    assertTrue(
        replies >= burst && replies <= allowed,
        replies
            + " flood replies in "
            + seconds
            + " s: at least "
            + burst
            + ", at most "
            + allowed);
    assertEquals(10, otherReplies.get());
  }

  @Test
  void aFifthConnectionFromOneSourceIsClosedAtOnceAndOthersAreUndisturbed(Vertx vertx) {
    JsonObject config =
        NOT_EXEMPT
            .copy()
            .put(
                "tcp",
                new JsonObject().put("limits", new JsonObject().put("connectionsPerSource", 4)));
    TestServer.Running server = TestServer.start(vertx, config).await();
    List<TcpTestClient> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      four.add(TcpTestClient.connect(vertx, server.tcpPort()).await());
    }
    Buffer fifthGot =
        TcpTestClient.connect(vertx, server.tcpPort()).compose(TcpTestClient::closed).await();
    assertEquals(0, fifthGot.length(), "the fifth is closed without a byte");

    for (TcpTestClient client : four) {
      client.send(Buffer.buffer("still here")).await();
      assertEquals("STILL HERE", client.received(10).await().toString());
    }
    Buffer otherReply =
        vertx
            .createNetClient(new NetClientOptions().setLocalAddress("127.0.0.2"))
            .connect(server.tcpPort(), "127.0.0.1")
            // handler and write on the socket's event loop
            .compose(
                socket -> {
                  Promise<Buffer> reply = Promise.promise();
                  socket.handler(reply::tryComplete);
                  return socket.write("other source").compose(sent -> reply.future());
                })
            .await();
    assertEquals("OTHER SOURCE", otherReply.toString());
    assertEquals(1, server.count("capslock.limits.tcp.connections.rejected"));
  }

  @Test
  void overTheNodesMostConnectionsANewClientWaitsUntilOneCloses(Vertx vertx) {
    // loopback is exempt from the per-source limits by default, not from the node's total
    JsonObject config =
        new JsonObject()
            .put("tcp", new JsonObject().put("limits", new JsonObject().put("maxConnections", 2)));
    TestServer.Running server = TestServer.start(vertx, config).await();
    TcpTestClient first = TcpTestClient.connect(vertx, server.tcpPort()).await();
    TcpTestClient second = TcpTestClient.connect(vertx, server.tcpPort()).await();
    first.send(Buffer.buffer("one")).await();
    assertEquals("ONE", first.received(3).await().toString());
    second.send(Buffer.buffer("two")).await();
    assertEquals("TWO", second.received(3).await().toString()); // both are counted

    TcpTestClient third = TcpTestClient.connect(vertx, server.tcpPort()).await(); // the kernel's
    third.send(Buffer.buffer("waited")).await();
    second.send(Buffer.buffer("still")).await();
    assertEquals("TWOSTILL", second.received(8).await().toString());
    assertEquals(2, server.count("capslock.tcp.connections.opened"), "the third waits, unaccepted");

    first.finishSending().compose(sent -> first.closed()).await();
    assertEquals("WAITED", third.received(6).await().toString());
    assertEquals(3, server.count("capslock.tcp.connections.opened"));
    assertEquals(0, server.count("capslock.limits.tcp.connections.rejected"));
  }
}
