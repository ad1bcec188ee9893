package capslock.client;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pinger stopped before it has sent anything (a Ctrl+C while the client starts). */
@ExtendWith(VertxExtension.class)
class UdpPingerTest {

  /**
   * The summary says nothing was sent, with no loss to speak of (as ping's), the status is ping's
   * for no reply, it is said once, and the run that would have followed sends nothing.
   */
  @Test
  void stoppedBeforeItsFirstPingItSaysNothingWasSentAndSendsNothing(Vertx vertx) throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      ByteArrayOutputStream said = new ByteArrayOutputStream();
      Endpoint endpoint =
          new Endpoint("127.0.0.1", server.getLocalPort(), 0, Duration.ofSeconds(1));
      UdpPinger pinger =
          new UdpPinger(endpoint, new PrintStream(said, true, StandardCharsets.UTF_8));

      assertEquals(1, pinger.interrupted(), "no reply: ping's status 1");
      assertEquals(1, pinger.interrupted(), "again");
      UdpLineExchange exchange = UdpLineExchange.open(vertx, endpoint).await(10, SECONDS);
      assertEquals(1, pinger.run(exchange, 3, Duration.ZERO), "the run after it");

      assertEquals(
          "--- "
              + endpoint
              + " ping statistics ---\n0 datagrams transmitted, 0 received"
              + System.lineSeparator(),
          said.toString(StandardCharsets.UTF_8));
      server.setSoTimeout(200); // a ping would have come at once
      assertThrows(
          SocketTimeoutException.class,
          () -> server.receive(new DatagramPacket(new byte[100], 100)),
          "no ping was sent");
    }
  }

  /**
   * A ping the kernel will not send is said, as ping says it, and the summary still closes the run.
   */
  @Test
  void aPingThatCannotBeSentIsSaidAndTheSummaryStillCloses(Vertx vertx) throws Exception {
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    Endpoint nowhere = new Endpoint("127.0.0.1", 0, 0, Duration.ofSeconds(1)); // port 0: EINVAL
    UdpPinger pinger = new UdpPinger(nowhere, new PrintStream(said, true, StandardCharsets.UTF_8));
    UdpLineExchange exchange = UdpLineExchange.open(vertx, nowhere).await(10, SECONDS);

    assertEquals(1, pinger.run(exchange, 2, Duration.ZERO), "no reply: ping's status 1");

    List<String> lines = said.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(5, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(1).startsWith("Cannot send to 127.0.0.1:0: "), lines.get(1));
    assertTrue(lines.get(2).startsWith("Cannot send to 127.0.0.1:0: "), lines.get(2));
    assertEquals("--- 127.0.0.1:0 ping statistics ---", lines.get(3));
    assertTrue(lines.get(4).startsWith("2 datagrams transmitted, 0 received"), lines.get(4));
    exchange.close();
  }
}
