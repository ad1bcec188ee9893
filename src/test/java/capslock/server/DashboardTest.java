package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.operations.EventStreamClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard's stream, /events, against a running capslock: its figures, its node facts, its
 * traffic feed.
 */
@ExtendWith(VertxExtension.class)
class DashboardTest {

  private static JsonObject config(boolean showTraffic) {
    return new JsonObject()
        .put(
            "http",
            new JsonObject()
                .put("host", "127.0.0.1")
                .put("port", 0)
                .put("showTraffic", showTraffic))
        .put("worker", new JsonObject().put("instances", 1));
  }

  @Test
  void theSnapshotsShowTheTcpPiecesAsTheyComeGroupedAndLabelled(Vertx vertx) throws Exception {
    TestServer.Running main = TestServer.start(vertx, config(false)).await(10, TimeUnit.SECONDS);
    EventStreamClient events =
        EventStreamClient.open(vertx, main.httpPort()).await(10, TimeUnit.SECONDS);

    JsonObject history =
        events.next(event -> event.name().equals("history")).await(10, TimeUnit.SECONDS).data();
    Map<String, JsonObject> series =
        history.getJsonArray("series").stream()
            .map(JsonObject.class::cast)
            .collect(Collectors.toMap(one -> one.getString("series"), Function.identity()));
    assertSeries(
        series, "capslock.tcp.pieces", "tcp", "rate", "pieces of TCP input sent to be upper-cased");
    assertSeries(series, "capslock.tcp.bytes.in", "tcp", "bytes", "bytes read from TCP clients");
    assertSeries(
        series, "capslock.tcp.connections.open", "tcp", "gauge", "TCP connections open now");
    assertSeries(
        series, "capslock.udp.datagrams", "udp", "rate", "UDP requests taken to be upper-cased");
    assertSeries(
        series,
        "capslock.udp.oversize.replies.dropped",
        "udp",
        "dropped",
        "UDP replies not sent: over udp.maxDatagramBytes");
    assertSeries(
        series,
        "capslock.worker.latency.p99",
        "worker",
        "latency",
        "p99 time from sending pieces to the workers to having their upper case");
    assertSeries(
        series,
        "capslock.limits.udp.datagrams.limited",
        "limits",
        "dropped",
        "UDP datagrams not answered: their source was over its limit");
    JsonObject node = history.getJsonObject("latest").getJsonObject("node");
    assertEquals(String.valueOf(main.endpoints().tcpPort()), node.getString("TCP port"));
    assertEquals("all", node.getString("role"));
    assertNotNull(node.getString("transport"), "the transport is named: " + node);

    int pieces = 3;
    TcpTestClient.connect(vertx, main.endpoints().tcpPort())
        // on the socket's event loop
        .compose(
            tcp -> {
              Future<Buffer> exchanges = Future.succeededFuture();
              for (int i = 1;
                  i <= pieces;
                  i++) { // each piece waits for its reply, so it is read as one piece
                int piece = i;
                exchanges =
                    exchanges
                        .compose(previous -> tcp.send(Buffer.buffer("piece " + piece)))
                        .compose(sent -> tcp.received(7 * piece));
              }
              return exchanges;
            })
        .await(10, TimeUnit.SECONDS);

    JsonObject moved =
        events
            .next(
                event ->
                    event.name().equals("snapshot")
                        && event.data().getJsonObject("totals").getLong("capslock.tcp.pieces")
                            == pieces)
            .await(10, TimeUnit.SECONDS)
            .data();
    assertTrue(
        moved.getJsonObject("values").getDouble("capslock.tcp.pieces") > 0,
        "the second the pieces came in has a rate: " + moved.getJsonObject("values"));
    assertEquals(7L * pieces, moved.getJsonObject("totals").getLong("capslock.tcp.bytes.in"));
    assertEquals(1.0, moved.getJsonObject("values").getDouble("capslock.tcp.connections.open"));
    assertFalse(moved.containsKey("traffic"), "no traffic feed unless http.showTraffic");

    JsonObject healthy =
        events
            .next(
                event ->
                    event.name().equals("snapshot") && event.data().getJsonObject("health") != null)
            .await(10, TimeUnit.SECONDS)
            .data()
            .getJsonObject("health");
    assertEquals("UP", healthy.getString("status"));
    assertEquals(
        "UP", healthy.getJsonObject("checks").getJsonObject("workers").getString("status"));
    events.close().await();
  }

  @Test
  void withShowTrafficTheSnapshotsCarryTheLastRequestsAndTheirFirst40Characters(Vertx vertx)
      throws Exception {
    TestServer.Running main = TestServer.start(vertx, config(true)).await(10, TimeUnit.SECONDS);
    EventStreamClient events =
        EventStreamClient.open(vertx, main.httpPort()).await(10, TimeUnit.SECONDS);

    String text = "<script>alert(1)</script> and more, past forty characters";
    TcpTestClient tcp =
        TcpTestClient.connect(vertx, main.endpoints().tcpPort()).await(10, TimeUnit.SECONDS);
    int tcpPort = tcp.socket().localAddress().port();
    tcp.send(Buffer.buffer(text))
        .compose(sent -> tcp.received(text.length()))
        .await(10, TimeUnit.SECONDS);
    UdpTestClient udp = UdpTestClient.open(vertx).await(10, TimeUnit.SECONDS);
    assertEquals(
        "STRASSE",
        udp.request(main.endpoints().udpPort(), Buffer.buffer("straße"))
            .await(10, TimeUnit.SECONDS)
            .data()
            .toString());

    JsonArray traffic =
        events
            .next(
                event ->
                    event.name().equals("snapshot")
                        && event.data().getJsonArray("traffic", new JsonArray()).size() == 2)
            .await(10, TimeUnit.SECONDS)
            .data()
            .getJsonArray("traffic");
    JsonObject viaTcp = traffic.getJsonObject(0);
    assertEquals("TCP", viaTcp.getString("protocol"));
    assertEquals("127.0.0.1", viaTcp.getString("host"));
    assertEquals(tcpPort, viaTcp.getInteger("port"));
    assertEquals(text.substring(0, 40), viaTcp.getString("request"));
    assertEquals("<SCRIPT>ALERT(1)</SCRIPT> AND MORE, PAST", viaTcp.getString("reply"));
    assertEquals(text.length(), viaTcp.getInteger("bytesIn"));
    assertEquals(text.length(), viaTcp.getInteger("bytesOut"));
    assertTrue(viaTcp.getLong("replyMicros") > 0, viaTcp.encode());
    JsonObject viaUdp = traffic.getJsonObject(1);
    assertEquals("UDP", viaUdp.getString("protocol"));
    assertEquals("straße", viaUdp.getString("request"));
    assertEquals("STRASSE", viaUdp.getString("reply"));
    assertEquals(7, viaUdp.getInteger("bytesIn"));
    assertEquals(7, viaUdp.getInteger("bytesOut"));
    events.close().await();
  }

  private static void assertSeries(
      Map<String, JsonObject> series, String name, String group, String kind, String label) {
    JsonObject one = series.get(name);
    assertNotNull(one, name + " is among " + series.keySet());
    assertEquals(
        List.of(group, kind, label),
        List.of(one.getString("group"), one.getString("kind"), one.getString("label")),
        name);
  }
}
