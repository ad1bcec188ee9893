package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import capslock.cluster.HazelcastCluster;
import capslock.config.Settings;
import capslock.worker.Uppercase;
import capslock.worker.UppercaseVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The roles: endpoints on one node, workers on another, joined by a real clustered event bus on
 * loopback.
 */
@ExtendWith(VertxExtension.class)
class ClusterRolesTest {

  private static final JsonObject ENDPOINTS = new JsonObject().put("role", "endpoints");
  private static final JsonObject WORKERS = new JsonObject().put("role", "workers");

  /** A cluster of this test's own: a capslock cluster running on this machine is never joined. */
  private final Settings.Cluster cluster =
      new Settings.Cluster("capslock-test-" + UUID.randomUUID(), List.of("127.0.0.1"));

  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void leave() throws Exception {
    Future.all(nodes.stream().map(Vertx::close).toList()).await(20, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(60)
  void anEndpointsNodeHasItsTextUpperCasedByTheWorkersNode() throws Exception {
    Vertx endpointsNode = node();
    Vertx workersNode = node();
    TestServer.Running endpoints =
        TestServer.start(endpointsNode, ENDPOINTS).await(30, TimeUnit.SECONDS);
    TestServer.Running workers = TestServer.start(workersNode, WORKERS).await(30, TimeUnit.SECONDS);

    TcpTestClient tcp =
        TcpTestClient.connect(endpointsNode, endpoints.tcpPort()).await(10, TimeUnit.SECONDS);
    tcp.send(Buffer.buffer("hello from tcp ß")).await(10, TimeUnit.SECONDS);
    assertEquals("HELLO FROM TCP SS", tcp.received(17).await(10, TimeUnit.SECONDS).toString());
    UdpTestClient udp = UdpTestClient.open(endpointsNode).await(10, TimeUnit.SECONDS);
    DatagramPacket udpReply =
        udp.request(endpoints.udpPort(), Buffer.buffer("hello from udp ǰ"))
            .await(10, TimeUnit.SECONDS);
    assertEquals("HELLO FROM UDP J̌", udpReply.data().toString());

    assertEquals(
        2, workers.count("capslock.worker.pieces"), "the workers node upper-cased both pieces");
    assertEquals(0, endpoints.count("capslock.worker.pieces"), "the endpoints node has no workers");
    assertEquals(
        0,
        endpoints.count("capslock.worker.local.fallbacks"),
        "nothing fell back to local upper-casing");
  }

  @Test
  void sixteenUdpSocketsWithSixteenInFlightGetEveryReplyExactAndInOrderThroughAWorkersNode()
      throws Exception {
    Vertx endpointsNode = node();
    Vertx workersNode = node();
    TestServer.Running endpoints =
        TestServer.start(
                endpointsNode, ENDPOINTS.copy().put("worker", new JsonObject().put("instances", 4)))
            .await(30, TimeUnit.SECONDS); // 4 requests out at once
    TestServer.Running workers =
        TestServer.start(
                workersNode, WORKERS.copy().put("worker", new JsonObject().put("instances", 4)))
            .await(30, TimeUnit.SECONDS);

    assertEquals(
        16 * 100,
        UdpPipelinedClient.run(endpointsNode, endpoints.udpPort(), 16, 16, 100)
            .await(60, TimeUnit.SECONDS));
    assertEquals(
        16 * 100,
        workers.count("capslock.worker.pieces"),
        "every datagram crossed to the workers node");
    assertEquals(0, endpoints.count("capslock.worker.local.fallbacks"));
  }

  @Test
  void anEndpointsNodeWithNoWorkerUpperCasesLocallyUntilAWorkerAppears(Vertx vertx)
      throws Exception {
    TestServer.Running server = TestServer.start(vertx, ENDPOINTS).await(10, TimeUnit.SECONDS);
    TcpTestClient tcp = TcpTestClient.connect(vertx, server.tcpPort()).await(10, TimeUnit.SECONDS);
    tcp.send(Buffer.buffer("alone, ")).await(10, TimeUnit.SECONDS);
    // at once: each of the three tries finds no worker there and then; had they waited for their
    // time-out instead, the reply would come after three of them (6 s or more)
    assertEquals("ALONE, ", tcp.received(7).await(5, TimeUnit.SECONDS).toString());
    assertEquals(
        1,
        server.count("capslock.worker.local.fallbacks"),
        "upper-cased locally: no worker anywhere");

    LongAdder workerCount = new LongAdder();
    vertx
        .deployVerticle(
            () -> new UppercaseVerticle(workerCount::add),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .await(10, TimeUnit.SECONDS);
    tcp.send(Buffer.buffer("then served")).await(10, TimeUnit.SECONDS);
    assertEquals("ALONE, THEN SERVED", tcp.received(18).await(10, TimeUnit.SECONDS).toString());
    assertEquals(
        1,
        server.count("capslock.worker.local.fallbacks"),
        "no more local upper-casing once a worker serves");
    assertEquals(1, workerCount.sum());
  }

  /**
   * A worker that takes requests and never answers: each try times out (on a node of its own that
   * is one timer's affair, not the event bus's reply), is sent again, and the text is then
   * upper-cased locally. Nothing waits forever.
   */
  @Test
  @Timeout(30)
  void aRequestNoWorkerAnswersTimesOutIsSentAgainThenUpperCasedLocally(Vertx vertx)
      throws Exception {
    LongAdder swallowed = new LongAdder();
    vertx
        .eventBus()
        .consumer(Uppercase.ADDRESS, request -> swallowed.increment())
        .completion()
        .await(10, TimeUnit.SECONDS);
    TestServer.Running server = TestServer.start(vertx, ENDPOINTS).await(10, TimeUnit.SECONDS);
    TcpTestClient tcp = TcpTestClient.connect(vertx, server.tcpPort()).await(10, TimeUnit.SECONDS);
    tcp.send(Buffer.buffer("unheard")).await(10, TimeUnit.SECONDS);

    assertEquals("UNHEARD", tcp.received(7).await(25, TimeUnit.SECONDS).toString());
    assertEquals(3, swallowed.sum(), "three tries reached the deaf worker");
    assertEquals(2, server.count("capslock.worker.retries"));
    assertEquals(1, server.count("capslock.worker.local.fallbacks"));
  }

  @Test
  void aWorkersNodeNeedsNoFreePort(Vertx vertx) throws Exception {
    NetServer holder =
        vertx.createNetServer().connectHandler(NetSocket::close).listen(0, "127.0.0.1").await();
    JsonObject portInUse =
        WORKERS.copy().put("tcp", new JsonObject().put("port", holder.actualPort()));
    TestServer.Running workers = TestServer.start(vertx, portInUse).await(10, TimeUnit.SECONDS);
    assertNull(workers.endpoints());
  }

  private Vertx node() throws Exception {
    Vertx node =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
            .withClusterManager(
                new HazelcastClusterManager(HazelcastCluster.config(cluster, "127.0.0.1")))
            .buildClustered()
            .await(30, TimeUnit.SECONDS);
    nodes.add(node);
    return node;
  }
}
