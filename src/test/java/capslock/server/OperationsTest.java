package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operations port: /health, /metrics and the dashboard's files, against a running capslock. */
@ExtendWith(VertxExtension.class)
class OperationsTest {

  /** One worker keeps the UDP replies in request order; HTTP on a free loopback port. */
  private static final JsonObject WITH_HTTP =
      new JsonObject()
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
          .put("worker", new JsonObject().put("instances", 1))
          .put("udp", new JsonObject().put("maxDatagramBytes", 10));

  private record Reply(int status, String contentType, String body) {}

  @Test
  void healthIsUpWhileTheServiceServesAndDownNamingTheWorkersWithoutThem(Vertx vertx)
      throws Exception {
    TestServer.Running main = TestServer.start(vertx, WITH_HTTP).await(10, TimeUnit.SECONDS);
    HttpClient http = vertx.createHttpClient();
    int port = main.httpPort();

    Reply up = get(http, port, "/health");
    assertEquals(200, up.status(), up.body());
    assertEquals("application/json", up.contentType());
    JsonObject report = new JsonObject(up.body());
    assertEquals("UP", report.getString("status"));
    assertEquals(
        "listening on port " + main.tcpPort(),
        report.getJsonObject("checks").getJsonObject("tcp").getString("detail"));

    Vertx alone = Vertx.vertx(); // an endpoints node with no workers anywhere on its event bus
    try {
      TestServer.Running endpointsOnly =
          TestServer.start(alone, WITH_HTTP.copy().put("role", "endpoints"))
              .await(10, TimeUnit.SECONDS);
      Reply down = get(alone.createHttpClient(), endpointsOnly.httpPort(), "/health");
      assertEquals(503, down.status(), down.body());
      JsonObject failing = new JsonObject(down.body());
      assertEquals("DOWN", failing.getString("status"));
      assertEquals(
          "DOWN", failing.getJsonObject("checks").getJsonObject("workers").getString("status"));
      assertEquals("UP", failing.getJsonObject("checks").getJsonObject("tcp").getString("status"));
    } finally {
      alone.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void healthIsDownNamingTheEndpointsOnceTheyStop(Vertx vertx) throws Exception {
    TestServer.Running main = TestServer.start(vertx, WITH_HTTP).await(10, TimeUnit.SECONDS);
    vertx.undeploy(main.endpoints().deploymentID()).await(20, TimeUnit.SECONDS);
    Reply down = get(vertx.createHttpClient(), main.httpPort(), "/health");
    assertEquals(503, down.status(), down.body());
    JsonObject checks = new JsonObject(down.body()).getJsonObject("checks");
    assertEquals("DOWN", checks.getJsonObject("tcp").getString("status"));
    assertEquals("DOWN", checks.getJsonObject("udp").getString("status"));
    assertEquals("UP", checks.getJsonObject("workers").getString("status"));
  }

  @Test
  void metricsMoveByExactlyTheTrafficSent(Vertx vertx) throws Exception {
    TestServer.Running main = TestServer.start(vertx, WITH_HTTP).await(10, TimeUnit.SECONDS);
    HttpClient http = vertx.createHttpClient();
    int port = main.httpPort();
    Map<String, Double> before = metrics(http, port);

    int pieces = 5;
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
    int datagrams = 3;
    UdpTestClient udp = UdpTestClient.open(vertx).await(10, TimeUnit.SECONDS);
    udp.send(main.endpoints().udpPort(), Buffer.buffer("oversize reply"))
        .await(10, TimeUnit.SECONDS); // 14 bytes > 10
    for (int i = 1;
        i < datagrams;
        i++) { // answered in order after the oversize one: it has been counted
      assertEquals(
          "DATAGRAM" + i,
          udp.request(main.endpoints().udpPort(), Buffer.buffer("datagram" + i))
              .await(10, TimeUnit.SECONDS)
              .data()
              .toString());
    }

    Map<String, Double> after = metrics(http, port);
    assertMoved(before, after, "capslock_tcp_pieces_total", pieces);
    assertMoved(before, after, "capslock_tcp_bytes_in_total", 7 * pieces);
    assertMoved(before, after, "capslock_tcp_bytes_out_total", 7 * pieces);
    assertMoved(before, after, "capslock_tcp_connections_opened_total", 1);
    assertMoved(before, after, "capslock_tcp_connections_open", 1);
    assertMoved(before, after, "capslock_udp_datagrams_total", datagrams);
    assertMoved(before, after, "capslock_udp_bytes_in_total", 14 + 9 * (datagrams - 1));
    assertMoved(before, after, "capslock_udp_bytes_out_total", 9 * (datagrams - 1));
    assertMoved(before, after, "capslock_udp_oversize_replies_dropped_total", 1);
    assertMoved(before, after, "capslock_worker_local_fallbacks_total", 0);
    assertMoved(before, after, "capslock_worker_pieces_total", pieces + datagrams);
    double requests =
        after.get("capslock_worker_latency_seconds_count")
            - before.get("capslock_worker_latency_seconds_count");
    assertTrue(
        requests >= 1 && requests <= pieces + datagrams,
        requests + " requests to the workers: pieces travel together");
  }

  @Test
  void theDashboardAndTheChartLibraryComeFromTheJarWithTheirContentTypes(Vertx vertx)
      throws Exception {
    TestServer.Running main = TestServer.start(vertx, WITH_HTTP).await(10, TimeUnit.SECONDS);
    HttpClient http = vertx.createHttpClient();
    int port = main.httpPort();

    Reply page = get(http, port, "/");
    assertEquals(200, page.status());
    assertEquals("text/html; charset=utf-8", page.contentType());
    assertTrue(
        page.body().contains("<script src=\"uplot/uPlot.iife.min.js\" defer></script>"),
        page.body());
    assertTrue(page.body().contains("<script src=\"dashboard.js\" defer></script>"), page.body());
    assertFalse(page.body().contains("://"), "nothing from another server: " + page.body());

    Reply uplot = get(http, port, "/uplot/uPlot.iife.min.js");
    assertEquals(200, uplot.status());
    assertEquals("text/javascript; charset=utf-8", uplot.contentType());
    assertTrue(uplot.body().contains("var uPlot="), "uPlot itself, from its webjar");
    Reply style = get(http, port, "/uplot/uPlot.min.css");
    assertEquals("text/css; charset=utf-8", style.contentType());
    assertTrue(style.body().contains(".uplot"));
    Reply script = get(http, port, "/dashboard.js");
    assertEquals("text/javascript; charset=utf-8", script.contentType());
    assertTrue(
        script.body().contains("new EventSource('events')"),
        "the page listens to /events, never polls /metrics");
    assertFalse(script.body().contains("innerHTML"), "text goes in as text");
    assertEquals("text/css; charset=utf-8", get(http, port, "/dashboard.css").contentType());
    assertEquals(404, get(http, port, "/nothing").status());
  }

  @Test
  void theHttpPortHoldsAtMostItsConnectionsAndClosesIdleOnes(Vertx vertx) throws Exception {
    JsonObject config = WITH_HTTP.copy();
    config.getJsonObject("http").put("maxConnections", 2).put("idleTimeoutSeconds", 3);
    TestServer.Running main = TestServer.start(vertx, config).await(10, TimeUnit.SECONDS);
    NetClient client = vertx.createNetClient();
    NetSocket first = client.connect(main.httpPort(), "127.0.0.1").await();
    NetSocket second = client.connect(main.httpPort(), "127.0.0.1").await();
    Future<Void> firstClosed = closed(first);
    Future<Void> secondClosed = closed(second);
    assertTrue(health(first).await(10, TimeUnit.SECONDS).startsWith("HTTP/1.1 200"));
    assertTrue(health(second).await(10, TimeUnit.SECONDS).startsWith("HTTP/1.1 200"));

    // over http.maxConnections: closed at once
    client
        .connect(main.httpPort(), "127.0.0.1")
        .compose(OperationsTest::closed)
        .await(10, TimeUnit.SECONDS);
    assertEquals(1, main.count("capslock.http.connections.rejected"));
    assertFalse(firstClosed.isComplete() || secondClosed.isComplete(), "the two open stay open");

    // silent 3 s both ways, they are closed, and a new client gets in
    firstClosed.await(10, TimeUnit.SECONDS);
    secondClosed.await(10, TimeUnit.SECONDS);
    NetSocket later = client.connect(main.httpPort(), "127.0.0.1").await();
    assertTrue(health(later).await(10, TimeUnit.SECONDS).startsWith("HTTP/1.1 200"));
    assertEquals(1, main.count("capslock.http.connections.rejected"));
  }

  /** GET /health on {@code socket}; the start of the reply's bytes. */
  private static Future<String> health(NetSocket socket) {
    Promise<String> reply = Promise.promise();
    socket.handler(bytes -> reply.tryComplete(bytes.toString(StandardCharsets.US_ASCII)));
    socket.write("GET /health HTTP/1.1\r\nHost: capslock\r\n\r\n");
    return reply.future();
  }

  /**
   * Completes once {@code socket} is closed, or at once if it is already: a connect's future hands
   * over the socket in a task of its own when completed off its context, and a close that comes
   * first is told to no handler.
   */
  private static Future<Void> closed(NetSocket socket) {
    Promise<Void> closed = Promise.promise();
    socket.closeHandler(done -> closed.tryComplete());
    if (!((NetSocketInternal) socket).channelHandlerContext().channel().isActive()) {
      closed.tryComplete();
    }
    return closed.future();
  }

  @Test
  void noHttpPortUnlessOneIsConfigured(Vertx vertx) throws Exception {
    assertEquals(
        -1, TestServer.start(vertx, new JsonObject()).await(10, TimeUnit.SECONDS).httpPort());
  }

  private static void assertMoved(
      Map<String, Double> before, Map<String, Double> after, String name, double by) {
    assertTrue(after.containsKey(name), name + " is in /metrics");
    assertEquals(by, after.get(name) - before.getOrDefault(name, 0.0), name);
  }

  /** The samples of /metrics without labels (and the histogram's count), by name. */
  private static Map<String, Double> metrics(HttpClient http, int port) throws Exception {
    Reply reply = get(http, port, "/metrics");
    assertEquals(200, reply.status());
    Map<String, Double> samples = new HashMap<>();
    reply
        .body()
        .lines()
        .filter(line -> line.startsWith("capslock_") && !line.contains("{"))
        .forEach(
            line ->
                samples.put(
                    line.substring(0, line.indexOf(' ')),
                    Double.parseDouble(line.substring(line.indexOf(' ') + 1))));
    return samples;
  }

  private static Reply get(HttpClient http, int port, String path) throws Exception {
    // body() is asked for in the callback of send() itself, on the connection's event loop: asked
    // for one step later, it can miss the bytes that came with the headers (vert.x issue 5904)
    return http.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(
            request ->
                request
                    .send()
                    .compose(
                        response ->
                            response
                                .body()
                                .map(
                                    body ->
                                        new Reply(
                                            response.statusCode(),
                                            response.getHeader("content-type"),
                                            body.toString()))))
        .await(10, TimeUnit.SECONDS);
  }
}
