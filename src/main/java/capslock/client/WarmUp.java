package capslock.client;

import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a client pays once, paid before its prompt: loading and compiling the code of an exchange.
 * The client's own loop (the lesson's client, or the pinger) runs a couple of thousand times
 * against an echo in this process, on loopback, printing into nowhere, so that a line's response
 * time is the server's and the network's, as the lesson's client measures it, and not the JVM's
 * first use of its classes. A couple of thousand, not a few hundred: after 300 rounds the exchange
 * still ran in the JIT's first, profiling tier, and each line took 0.25-0.35 ms against the
 * lesson's own server where Python's client took 0.06-0.15 ms; after 2,000 it takes 0.04-0.14 ms,
 * for no later prompt within the noise. The printing too: when only the exchange was warmed, the
 * JIT compiled the formatting of the first reply's response time while the second line was out, and
 * that line took twice the later ones (docs/PERFORMANCE.md, "Our clients' JVM").
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
      Endpoint endpoint = new Endpoint("127.0.0.1", port, 0, TIMEOUT);
      try (UdpLineExchange exchange = UdpLineExchange.open(vertx, endpoint).await()) {
        rounds(exchange);
        new UdpPinger(endpoint, nowhere()).run(exchange, ROUNDS, Duration.ZERO);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException ignored) {
      // only the first line's response time is at stake
    } finally {
      echo.close().await();
    }
  }

  /** The lesson's client, its replies printed into nowhere. */
  private static void rounds(LineExchange exchange) {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < ROUNDS; i++) {
      lines.append("warm up, line ").append(i).append(": straße\n");
    }
    try {
      new LessonClient(exchange, TIMEOUT, nowhere(), nowhere(), false)
          .run(new ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (IOException impossible) { // an array's stream does not fail
      throw new UncheckedIOException(impossible);
    }
  }

  private static PrintStream nowhere() {
    return new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
  }
}
