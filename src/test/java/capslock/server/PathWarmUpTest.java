package capslock.server;

import static capslock.server.Conditions.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.metrics.Traffic;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The start's warm-up: real lines through the real ports, counted apart and held to no limit, until
 * the first real client.
 */
@ExtendWith(VertxExtension.class)
class PathWarmUpTest {

  private static final JsonObject ONE_SECOND =
      new JsonObject().put("warmUp", new JsonObject().put("seconds", 1));
  private static final JsonObject A_MINUTE =
      new JsonObject().put("warmUp", new JsonObject().put("seconds", 60).put("lines", 1_000_000));

  private static final Pattern LINES = Pattern.compile("^Warm-up: ([\\d,]+) lines answered");
  private static final Pattern CONNECTIONS = Pattern.compile("over ([\\d,]+) TCP connections");

  @Test
  void answersLinesThroughTheRealPortsWhichCountThemApart(Vertx vertx) throws Exception {
    TestServer.Running main = TestServer.start(vertx, ONE_SECOND).await(10, TimeUnit.SECONDS);
    assertFalse(main.main().warmedUp().isComplete(), "the warm-up runs after the start");

    String report = main.main().warmedUp().await(20, TimeUnit.SECONDS);
    Matcher answered = LINES.matcher(report);
    assertTrue(answered.find(), report);
    long lines = Long.parseLong(answered.group(1).replace(",", ""));
    assertTrue(lines > 100, report);
    // every tenth round a connection for one line, as the lesson's TCP client makes (its start
    // has code of its own to warm): more connections than the two kept ones
    Matcher connections = CONNECTIONS.matcher(report);
    assertTrue(connections.find(), report);
    assertTrue(Long.parseLong(connections.group(1).replace(",", "")) > lines / 40 + 2, report);
    assertFalse(report.contains("stopped") || report.contains("stood aside"), report);

    // the node's own counters are the real clients'
    assertEquals(0, main.count("capslock.tcp.connections.opened"));
    assertEquals(0, main.count("capslock.tcp.bytes.in"));
    assertEquals(0, main.count("capslock.tcp.pieces"));
    assertEquals(0, main.count("capslock.udp.datagrams"));
    assertEquals(0, main.count("capslock.udp.bytes.out"));
  }

  @Test
  void isHeldToNoLimitAndNoSimulatedLoss(Vertx vertx) throws Exception {
    JsonObject strict =
        new JsonObject()
            .put("warmUp", new JsonObject().put("seconds", 60).put("lines", 300))
            .put("limits", new JsonObject().put("exemptLoopback", false))
            .put(
                "udp",
                new JsonObject()
                    .put("simulatedLoss", 1.0)
                    .put("simulatedDelayMs", 5_000) // the warm-up's clients wait 2 s at most
                    .put("limits", new JsonObject().put("datagramsPerSecond", 1)))
            .put("tcp", new JsonObject().put("limits", new JsonObject().put("maxConnections", 1)));
    TestServer.Running main = TestServer.start(vertx, strict).await(10, TimeUnit.SECONDS);

    String report = main.main().warmedUp().await(20, TimeUnit.SECONDS);
    assertFalse(report.contains("stopped") || report.contains("stood aside"), report);
    Matcher answered = LINES.matcher(report);
    assertTrue(answered.find(), report);
    assertTrue(Long.parseLong(answered.group(1).replace(",", "")) >= 300, report);
    assertEquals(0, main.count("capslock.limits.udp.datagrams.limited"));
    assertEquals(0, main.count("capslock.limits.tcp.connections.rejected"));
    assertEquals(0, main.count("capslock.udp.simulated.losses"));
  }

  @Test
  void findsAndCountsApartItsOwnClientsWhenThePortsAreBoundToEveryAddress(Vertx vertx)
      throws Exception {
    JsonObject everyAddress =
        new JsonObject()
            .put("warmUp", new JsonObject().put("seconds", 60).put("lines", 300))
            .put("tcp", new JsonObject().put("host", "0.0.0.0"))
            .put("udp", new JsonObject().put("host", "0.0.0.0"));
    TestServer.Running main = TestServer.start(vertx, everyAddress).await(10, TimeUnit.SECONDS);

    String report = main.main().warmedUp().await(20, TimeUnit.SECONDS);
    assertFalse(report.contains("stopped") || report.contains("stood aside"), report);
    assertEquals(0, main.count("capslock.tcp.connections.opened"));
    assertEquals(0, main.count("capslock.udp.datagrams"));
  }

  @Test
  void endsAfterItsLinesLongBeforeItsTime(Vertx vertx) throws Exception {
    JsonObject fewLines =
        new JsonObject().put("warmUp", new JsonObject().put("seconds", 60).put("lines", 300));
    TestServer.Running main = TestServer.start(vertx, fewLines).await(10, TimeUnit.SECONDS);

    String report = main.main().warmedUp().await(20, TimeUnit.SECONDS);
    Matcher answered = LINES.matcher(report);
    assertTrue(answered.find(), report);
    long lines = Long.parseLong(answered.group(1).replace(",", ""));
    // two clients, a line in flight each: at most one more is answered after the 300th
    assertTrue(lines >= 300 && lines <= 301, report);
    assertFalse(report.contains("stopped") || report.contains("stood aside"), report);
  }

  @Test
  void standsAsideAtARealClientsFirstLineWhichTheRealPortAnswers(Vertx vertx) throws Exception {
    TestServer.Running main = TestServer.start(vertx, A_MINUTE).await(10, TimeUnit.SECONDS);
    assertFalse(main.main().warmedUp().isComplete(), "the warm-up runs after the start");

    String line = "während des Aufwärmens\n";
    Buffer reply =
        TcpTestClient.exchange(vertx, main.tcpPort(), List.of(Buffer.buffer(line)))
            .await(10, TimeUnit.SECONDS);
    assertEquals("WÄHREND DES AUFWÄRMENS\n", reply.toString(StandardCharsets.UTF_8));

    assertStoodAside(main);
    long lineBytes = line.getBytes(StandardCharsets.UTF_8).length;
    assertEquals(1, main.count("capslock.tcp.connections.opened"));
    assertEquals(lineBytes, main.count("capslock.tcp.bytes.in"));
    assertEquals(lineBytes, main.count("capslock.tcp.bytes.out"));
    assertEquals(0, main.count("capslock.udp.datagrams"));
  }

  @Test
  void standsAsideAtARealClientsFirstDatagramWhichTheRealPortAnswers(Vertx vertx) throws Exception {
    TestServer.Running main = TestServer.start(vertx, A_MINUTE).await(10, TimeUnit.SECONDS);
    assertFalse(main.main().warmedUp().isComplete(), "the warm-up runs after the start");

    UdpTestClient client = UdpTestClient.open(vertx).await(10, TimeUnit.SECONDS);
    Buffer reply =
        client
            .request(main.udpPort(), Buffer.buffer("grüße", "UTF-8"))
            .await(10, TimeUnit.SECONDS)
            .data();
    assertEquals("GRÜSSE", reply.toString(StandardCharsets.UTF_8));

    assertStoodAside(main);
    assertEquals(1, main.count("capslock.udp.datagrams"));
    assertEquals(0, main.count("capslock.tcp.connections.opened"));
  }

  @Test
  void countsOnlyTheRequestsOfItsOwnStartInARegistryUsedBefore(Vertx vertx) throws Exception {
    PrometheusMeterRegistry used = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new Traffic(used).tcpPiece(); // an embedder's earlier deployment
    TestServer.Running main = TestServer.start(vertx, ONE_SECOND, used).await(10, TimeUnit.SECONDS);

    String report = main.main().warmedUp().await(20, TimeUnit.SECONDS);
    assertFalse(report.contains("stood aside"), report);
  }

  /** A minute's warm-up ended within seconds of the real client's request, and said why. */
  private static void assertStoodAside(TestServer.Running main) throws Exception {
    String report = main.main().warmedUp().await(20, TimeUnit.SECONDS);
    assertTrue(report.contains("stood aside for the first real client's request"), report);
  }

  @Test
  void endsWithTheNodeWhichAnswersWhatItHasOutThroughItsWorkers(Vertx vertx) throws Exception {
    TestServer.Running main = TestServer.start(vertx, A_MINUTE).await(10, TimeUnit.SECONDS);
    assertFalse(main.main().warmedUp().isComplete(), "the warm-up runs after the start");

    vertx.undeploy(main.main().deploymentID()).await(20, TimeUnit.SECONDS);

    String report = main.main().warmedUp().await(10, TimeUnit.SECONDS);
    assertTrue(report.endsWith(", then the endpoints stopped"), report);
    // its requests out as the node stopped were answered by the workers, which left last
    assertEquals(0, main.count("capslock.worker.retries"));
    assertEquals(0, main.count("capslock.worker.local.fallbacks"));
  }

  /**
   * A datagram the stopping endpoints will not answer does not hold the stop: without a word from
   * UDP, the warm-up's client would wait for its reply until the receive times out (2 s), holding
   * its kept TCP connection, which the stopping server waits for (as long again).
   */
  @Test
  void holdsNoStopWhileWaitingForAReplyThatWillNotCome(Vertx vertx) throws Exception {
    // every reply datagram is over 1 byte, so none is sent: each client waits at its first one
    JsonObject noReplies = A_MINUTE.copy().put("udp", new JsonObject().put("maxDatagramBytes", 1));
    TestServer.Running main = TestServer.start(vertx, noReplies).await(10, TimeUnit.SECONDS);
    // both clients' first datagrams upper-cased (the workers count the warm-up's pieces too), and
    // their replies refused: both wait, each with its TCP connection open
    awaitCondition(vertx, () -> main.count("capslock.worker.pieces") >= 2);

    // the stop takes tens of milliseconds; a client left waiting held it for 2 s
    vertx.undeploy(main.main().deploymentID()).await(1, TimeUnit.SECONDS);

    String report = main.main().warmedUp().await(1, TimeUnit.SECONDS);
    assertTrue(report.endsWith(", then the endpoints stopped"), report);
  }

  @Test
  void isNoneWhenItsSecondsAreZero(Vertx vertx) throws Exception {
    TestServer.Running main = TestServer.start(vertx).await(10, TimeUnit.SECONDS); // seconds 0
    assertEquals("no warm-up", main.main().warmedUp().await(1, TimeUnit.SECONDS));
  }
}
