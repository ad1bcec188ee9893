package capslock.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The launcher's {@code -instances N}: N copies of the main verticle, serving as one node. */
@ExtendWith(VertxExtension.class)
class InstancesTest {

  /**
   * With ports 0, the instances share the one free TCP port the first binds (Vert.x's shared random
   * port), and one of them serves UDP on a free port of its own: a node has one port of each.
   */
  @Test
  void twoInstancesOnFreePortsServeOneTcpPortAndOneUdpPort(Vertx vertx) throws Exception {
    List<MainVerticle> instances = deployTwo(vertx, new JsonObject());

    List<MainVerticle.Bound> bound = instances.stream().map(MainVerticle::bound).toList();
    assertEquals(2, bound.size());
    assertTrue(bound.get(0).tcp() > 0, bound.toString());
    assertEquals(bound.get(0).tcp(), bound.get(1).tcp(), "one TCP port: " + bound);
    assertEquals(
        1, bound.stream().filter(ports -> ports.udp() > 0).count(), "one UDP port: " + bound);

    int udpPort = bound.stream().mapToInt(MainVerticle.Bound::udp).max().orElseThrow();
    TcpTestClient tcp = TcpTestClient.connect(vertx, bound.get(0).tcp()).await(10, SECONDS);
    tcp.send(Buffer.buffer("straße"));
    assertEquals("STRASSE", tcp.received(7).await(10, SECONDS).toString());
    UdpTestClient udp = UdpTestClient.open(vertx).await(10, SECONDS);
    assertEquals(
        "HELLO", udp.request(udpPort, Buffer.buffer("hello")).await(10, SECONDS).data().toString());
  }

  /**
   * A limit per source is the node's: a source's third connection is closed at once, whichever
   * instance takes it (each instance with its own count let through two per instance).
   */
  @Test
  void aSourcesConnectionLimitIsTheNodesWhicheverInstanceTakesItsConnections(Vertx vertx)
      throws Exception {
    JsonObject twoPerSource =
        new JsonObject()
            .put("limits", new JsonObject().put("exemptLoopback", false))
            .put(
                "tcp",
                new JsonObject().put("limits", new JsonObject().put("connectionsPerSource", 2)));
    int port = deployTwo(vertx, twoPerSource).get(0).bound().tcp();
    for (int i = 0; i < 2; i++) {
      TcpTestClient kept = TcpTestClient.connect(vertx, port).await(10, SECONDS);
      kept.send(Buffer.buffer("kept " + i));
      assertEquals("KEPT " + i, kept.received(6).await(10, SECONDS).toString());
    }
    for (int i = 0; i < 2; i++) {
      Buffer got =
          TcpTestClient.connect(vertx, port)
              .compose(TcpTestClient::closed)
              .await(5, SECONDS); // one instance's own count would have kept it open
      assertEquals(0, got.length(), "closed without a byte");
    }
  }

  /** Deploys capslock as {@code -instances 2} does, on loopback and free ports, without warm-up. */
  private static List<MainVerticle> deployTwo(Vertx vertx, JsonObject overrides) throws Exception {
    List<MainVerticle> instances = new CopyOnWriteArrayList<>();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JsonObject config =
        new JsonObject()
            .put("tcp", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("udp", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("warmUp", new JsonObject().put("seconds", 0))
            .mergeIn(overrides, true);
    vertx
        .deployVerticle(
            () -> {
              MainVerticle main = new MainVerticle(registry);
              instances.add(main);
              return main;
            },
            new DeploymentOptions().setConfig(config).setInstances(2))
        .await(10, SECONDS);
    return instances;
  }
}
