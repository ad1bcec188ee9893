package capslock.cli;

import static capslock.server.Conditions.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.server.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The load generator, run briefly against capslock and against peers that answer wrongly. */
@ExtendWith(VertxExtension.class)
class BenchCommandTest {

  @Test
  void aShortTcpRunAgainstCapslockReportsARateAndNoErrors(Vertx vertx) {
    TestServer.Running server = TestServer.start(vertx).await();
    Result result = bench(vertx, "tcp", server.tcpPort());
    assertEquals(0, result.status(), result.toString());
    assertTrue(result.json().getDouble("messagesPerSecond") > 0, result.toString());
    assertEquals(0, result.json().getLong("errors"), result.toString());
  }

  @Test
  void aShortUdpRunAgainstCapslockReportsARateAndNoErrors(Vertx vertx) {
    TestServer.Running server = TestServer.start(vertx).await();
    Result result = bench(vertx, "udp", server.udpPort());
    assertEquals(0, result.status(), result.toString());
    assertTrue(result.json().getDouble("messagesPerSecond") > 0, result.toString());
    assertEquals(0, result.json().getLong("errors"), result.toString());
  }

  @Test
  void aUdpRunOverIpv6LoopbackToAServerOnAllIpv6AddressesLosesNothing(Vertx vertx) {
    JsonObject ipv6 =
        new JsonObject().put("udp", new JsonObject().put("host", "::").put("port", 0));
    TestServer.Running server = TestServer.start(vertx, ipv6).await();
    Result run = result(vertx, shortRun("udp", server.udpPort(), 0, "--host", "::1", "--json"));
    assertEquals(0, run.status(), run.toString());
    assertTrue(run.json().getLong("messages") > 0, run.toString());
    assertEquals(0, run.json().getLong("lost"), run.toString());
  }

  @Test
  void aTcpPeerThatLowerCasesIsCaughtAndTheRunFails(Vertx vertx) {
    NetServer lowerCaser =
        vertx
            .createNetServer()
            .connectHandler(
                socket ->
                    socket.handler(
                        bytes -> socket.write(bytes.toString().toLowerCase(Locale.ROOT))))
            .listen(0, "127.0.0.1")
            .await();
    Result result = bench(vertx, "tcp", lowerCaser.actualPort());
    assertEquals(1, result.status(), result.toString());
    assertTrue(result.json().getLong("errors") > 0, result.toString());
  }

  @Test
  void aUdpPeerThatEchoesUnchangedIsCaughtAndTheRunFails(Vertx vertx) {
    DatagramSocket echo = vertx.createDatagramSocket();
    echo.handler(
        packet -> echo.send(packet.data(), packet.sender().port(), packet.sender().host()));
    echo.listen(0, "127.0.0.1").await();
    Result result = bench(vertx, "udp", echo.localAddress().port());
    assertEquals(1, result.status(), result.toString());
    assertTrue(result.json().getLong("errors") > 0, result.toString());
  }

  @Test
  void withReportTheRunIsAlsoWrittenAsAPageWithItsSeconds(Vertx vertx, @TempDir Path dir)
      throws Exception {
    TestServer.Running server = TestServer.start(vertx).await();
    Path page = dir.resolve("run.html");
    assertEquals(
        new Said(0, "Report written to " + page + "\n"),
        said(vertx, shortRun("tcp", server.tcpPort(), 1, "--report", page.toString())));
    String html = Files.readString(page);
    assertTrue(
        html.contains("\"warmingUp\":[true,false"), "the warm-up second, then measured ones");
    assertTrue(html.contains("<tr><th>result</th><td>OK: every reply checked and right</td></tr>"));
  }

  @Test
  void aReportThatCannotBeWrittenIsOneClearLineAndStatus1(Vertx vertx, @TempDir Path dir) {
    TestServer.Running server = TestServer.start(vertx).await();
    Path nowhere = dir.resolve("no-such-directory").resolve("run.html");
    assertEquals(
        new Said(
            1, "bench: cannot write the report " + nowhere + ": its directory does not exist\n"),
        said(vertx, shortRun("tcp", server.tcpPort(), 0, "--report", nowhere.toString())));
  }

  @Test
  void aProtocolThatIsNeitherIsOneClearLine(Vertx vertx) {
    assertEquals(new Said(2, "bench: the protocol is tcp or udp\n"), said(vertx, "sctp"));
  }

  @Test
  void anUnknownHostIsOneClearLine(Vertx vertx) {
    Said said = said(vertx, "udp", "--host", "no-such-host.invalid");
    assertEquals(new Said(1, "bench: unknown host no-such-host.invalid\n"), said);
  }

  @Test
  void aRefusedConnectionIsOneClearLine(Vertx vertx) throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Said said = said(vertx, "tcp", "--host", "127.0.0.1", "--port", String.valueOf(closed));
    assertEquals(
        new Said(1, "bench: cannot load 127.0.0.1:" + closed + ": the connection was refused\n"),
        said);
  }

  @Test
  void aDurationWarmupOrSizeThatMakesNoSenseIsOneClearLine(Vertx vertx) {
    assertEquals(
        new Said(
            2, "bench: duration must be at least 1 second and warmup 0 or more, got 0 and 2\n"),
        said(vertx, "tcp", "--duration", "0"));
    assertEquals(
        new Said(
            2, "bench: duration must be at least 1 second and warmup 0 or more, got 1 and -3\n"),
        said(vertx, "udp", "--duration", "1", "--warmup", "-3"));
    assertEquals(
        new Said(2, "bench: size must be from 2 to 16777216 bytes\n"),
        said(vertx, "tcp", "--size", "2000000000"));
  }

  @Test
  void aPortOutOfRangeIsOneClearLine(Vertx vertx) {
    assertEquals(
        new Said(2, "bench: port must be from 1 to 65535, got 70000\n"),
        said(vertx, "tcp", "--port", "70000"));
  }

  /**
   * Ctrl+C (or SIGTERM) during a run is not a success: one line, and exit status 130, as a shell
   * reports it.
   */
  @Test
  void aRunStoppedByASignalSaysSoAndExitsWith130(Vertx vertx) throws Exception {
    TestServer.Running server = TestServer.start(vertx).await();
    Process bench =
        JavaMain.start(
            BenchCommand.class,
            "tcp",
            "--port",
            String.valueOf(server.tcpPort()),
            "--duration",
            "30",
            "--warmup",
            "0");
    try {
      awaitCondition(vertx, () -> server.count("capslock.tcp.bytes.in") > 0); // it loads
      // SIGTERM, which takes the same way as Ctrl+C's SIGINT: a process started in the background
      // by a shell without job control (as CI may be) ignores SIGINT from its start
      bench.toHandle().destroy();
      assertTrue(bench.waitFor(20, TimeUnit.SECONDS), "bench stops on SIGTERM");
      assertEquals(130, bench.exitValue());
      String said = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(said.contains("bench: interrupted before the end of the run: no report\n"), said);
      assertFalse(said.contains("Exception"), said);
    } finally {
      bench.destroyForcibly();
    }
  }

  /** A run's exit status and what it said on its error stream. */
  private record Said(int status, String err) {}

  private static Said said(Vertx vertx, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new BenchCommand(
                vertx,
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false)
            .execute(args);
    return new Said(status, err.toString(StandardCharsets.UTF_8));
  }

  private record Result(int status, JsonObject json) {}

  private static Result bench(Vertx vertx, String protocol, int port) {
    return result(vertx, shortRun(protocol, port, 0, "--json"));
  }

  private static Result result(Vertx vertx, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        new BenchCommand(
                vertx, new PrintStream(out, true, StandardCharsets.UTF_8), System.err, false)
            .execute(args);
    return new Result(status, new JsonObject(Buffer.buffer(out.toByteArray())));
  }

  /**
   * A short run's arguments: 2 connections (or sockets) with 4 messages in flight on each, {@code
   * warmup} seconds, then one measured second; then {@code more}.
   */
  private static String[] shortRun(String protocol, int port, int warmup, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                protocol,
                "--port",
                String.valueOf(port),
                "--connections",
                "2",
                "--depth",
                "4",
                "--duration",
                "1",
                "--warmup",
                String.valueOf(warmup)));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }
}
