package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One socket floods the server with the costliest datagrams there are (64,000 bytes of ß, each one
 * growing when upper-cased) as fast as the kernel takes them: the work waiting for the workers
 * stays bounded (the excess is dropped unread and counted) and another socket is answered
 * throughout, each time within a second.
 */
@ExtendWith(VertxExtension.class)
class UdpFloodTest {

  private static final byte[] SHARP_S = "ß".repeat(32_000).getBytes(StandardCharsets.UTF_8);
  private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(3);

  @Test
  void aFloodFromOneSocketLeavesAnotherAnsweredWithinASecondAndIsCounted(Vertx vertx)
      throws Exception {
    TestServer.Running server = TestServer.start(vertx).await();
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.udpPort());

    CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> flood(target));
    List<Long> waits = new ArrayList<>();
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      probe.setSoTimeout(2_000);
      long end =
          System.nanoTime()
              + FLOOD_NANOS
              + TimeUnit.SECONDS.toNanos(1); // during the flood, and after it
      for (int i = 0; System.nanoTime() < end; i++) {
        waits.add(roundTrip(probe, target, "probe " + i + " straße"));
        TimeUnit.MILLISECONDS.sleep(20); // a person-paced client, not a synchronisation
      }
    }
    int flooded = flood.get(30, TimeUnit.SECONDS);

    long slowest = waits.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertTrue(
        slowest < TimeUnit.SECONDS.toMillis(1), "the slowest probe waited " + slowest + " ms");
    assertTrue(flooded > 100, flooded + " flood datagrams sent");
    assertTrue(
        server.count("capslock.udp.overload.drops") > 0,
        "the flood went over the bound, and that was counted");
  }

  /**
   * Sends the costliest datagrams for {@link #FLOOD_NANOS}, as fast as the kernel takes them; never
   * reads.
   */
  private static int flood(InetSocketAddress target) {
    try (DatagramSocket flooder = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      DatagramPacket datagram = new DatagramPacket(SHARP_S, SHARP_S.length, target);
      int sent = 0;
      for (long end = System.nanoTime() + FLOOD_NANOS;
          System.nanoTime() < end && sent < 200_000;
          sent++) {
        flooder.send(datagram);
      }
      return sent;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One request and its reply, checked; the milliseconds it took. */
  private static long roundTrip(DatagramSocket socket, InetSocketAddress target, String text)
      throws IOException {
    byte[] request = text.getBytes(StandardCharsets.UTF_8);
    long start = System.nanoTime();
    socket.send(new DatagramPacket(request, request.length, target));
    byte[] buffer = new byte[2048];
    DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(reply);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no reply to '" + text + "' within 2 s", e);
    }
    assertEquals(
        text.toUpperCase(java.util.Locale.ROOT),
        new String(buffer, 0, reply.getLength(), StandardCharsets.UTF_8));
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
