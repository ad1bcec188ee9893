package capslock.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import java.time.Duration;

/**
 * What a client pays once, paid before its prompt: loading and compiling the code of an exchange.
 * The client's own exchange runs a couple of thousand times against an echo in this process, on
 * loopback, so that a line's response time is the server's and the network's, as the lesson's
 * client measures it, and not the JVM's first use of its classes. A couple of thousand, not a few
 * hundred: after 300 rounds the exchange still ran in the JIT's first, profiling tier, and each
 * line took 0.25-0.35 ms against the lesson's own server where Python's client took 0.06-0.15 ms;
 * after 2,000 it takes 0.04-0.14 ms, for no later prompt within the noise (docs/PERFORMANCE.md).
 */
public final class WarmUp {

  private static final int ROUNDS = 2_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private WarmUp() {}

  /** Warms up the TCP client; a failure is not the user's: it is ignored. */
  public static void tcp(Vertx vertx) {
    NetServer echo =
        vertx.createNetServer().connectHandler(socket -> socket.handler(socket::write));
    try {
      int port = echo.listen(0, "127.0.0.1").await().actualPort();
      try (TcpLineExchange exchange =
          TcpLineExchange.connect(vertx, new Endpoint("127.0.0.1", port, 0, TIMEOUT), 0).await()) {
        rounds(exchange);
      }
    } catch (RuntimeException ignored) {
      // only the first line's response time is at stake
    } finally {
      echo.close().await();
    }
  }

  /** Warms up the UDP client and the pinger; a failure is ignored. */
  public static void udp(Vertx vertx) {
    DatagramSocket echo = vertx.createDatagramSocket();
    echo.handler(
        packet -> echo.send(packet.data(), packet.sender().port(), packet.sender().host()));
    try {
      int port = echo.listen(0, "127.0.0.1").await().localAddress().port();
      try (UdpLineExchange exchange =
          UdpLineExchange.open(vertx, new Endpoint("127.0.0.1", port, 0, TIMEOUT)).await()) {
        rounds(exchange);
        for (int i = 0; i < ROUNDS; i++) {
          exchange.request(Buffer.buffer("ping " + i + " " + System.currentTimeMillis())).await();
        }
      }
    } catch (RuntimeException ignored) {
      // only the first line's response time is at stake
    } finally {
      echo.close().await();
    }
  }

  private static void rounds(LineExchange exchange) {
    for (int i = 0; i < ROUNDS; i++) {
      exchange.send("warm up, line " + i + ": straße").await();
    }
  }
}
