package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.cluster.NodeProcess;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real jar, started with conf/jvm.options as ./run.sh starts it, on every core: under a flood
 * of the costliest datagrams and a client that writes and never reads, its memory stays within 512
 * MB and another client is answered within a second throughout; and the lesson's TCP client, which
 * reads once, gets whole replies.
 */
class ServiceUnderStressIT {

  private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static NodeProcess service;
  private static int tcpPort;
  private static int udpPort;

  @BeforeAll
  static void start() throws Exception {
    List<String> jvm = new ArrayList<>(NodeProcess.runShJvmOptions());
    jvm.addAll(
        List.of(
            "-Dtcp.port=0",
            "-Dudp.port=0",
            "-Dhttp.port=-1",
            "-Dtcp.host=127.0.0.1",
            "-Dudp.host=127.0.0.1"));
    service =
        NodeProcess.start(
            "service",
            Path.of(System.getProperty("capslock.jar")),
            jvm,
            List.of("-conf", "conf/config.json"));
    udpPort = service.boundPort("UDP", Duration.ofSeconds(30));
    tcpPort = service.boundPort("TCP", Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws Exception {
    assertEquals(0, service.stop(), "SIGTERM ends it with status 0");
  }

  @Test
  void underAFloodAndAWriterThatNeverReadsItStaysWithin512MbAndAnswersAnotherClientWithinASecond()
      throws Exception {
    CompletableFuture<Long> written =
        CompletableFuture.supplyAsync(ServiceUnderStressIT::writeAndNeverRead);
    CompletableFuture<Integer> flooded = CompletableFuture.supplyAsync(ServiceUnderStressIT::flood);
    List<Long> waits = new ArrayList<>();
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      probe.setSoTimeout(2_000);
      for (long end = System.nanoTime() + FLOOD_NANOS + TimeUnit.SECONDS.toNanos(1);
          System.nanoTime() < end; ) {
        waits.add(roundTrip(probe, "probe " + waits.size() + " straße"));
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
    long neverRead = written.get(30, TimeUnit.SECONDS);
    int floodDatagrams = flooded.get(30, TimeUnit.SECONDS);

    long slowest = waits.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertTrue(
        slowest < 1_000, "the slowest of " + waits.size() + " probes waited " + slowest + " ms");
    assertTrue(
        floodDatagrams > 1_000 && neverRead > 0,
        floodDatagrams + " flood datagrams, " + neverRead + " bytes never read");
    long peak = service.peakRssMegabytes();
    System.out.printf(
        "Flood of %,d datagrams and %,d bytes never read: %d probes, the slowest %d ms; peak RSS %d MB%n",
        floodDatagrams, neverRead, waits.size(), slowest, peak);
    assertTrue(peak <= 512, "peak RSS " + peak + " MB");
  }

  @Test
  void theLessonsClientGetsWholeRepliesToLongLinesOnTwentyNewConnections() throws Exception {
    String line = "straße 한국어 ".repeat(60) + "x".repeat(419) + "\n"; // 1,500 bytes
    byte[] request = line.getBytes(StandardCharsets.UTF_8);
    byte[] expected = line.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    assertEquals(1_500, request.length);
    for (int i = 0; i < 20; i++) {
      try (Socket socket = new Socket("127.0.0.1", tcpPort)) {
        socket.getOutputStream().write(request); // one send(), as TCPClient.py
        byte[] buffer = new byte[2_048];
        int read = socket.getInputStream().read(buffer); // one recv(2048)
        assertEquals(
            new String(expected, StandardCharsets.UTF_8),
            new String(buffer, 0, read, StandardCharsets.UTF_8),
            "connection " + i);
      }
    }
  }

  /** Writes for the flood's time without ever reading; how much the server took. */
  private static long writeAndNeverRead() {
    try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", tcpPort))) {
      channel.configureBlocking(false);
      ByteBuffer chunk =
          ByteBuffer.wrap("never reads ß ".repeat(4_000).getBytes(StandardCharsets.UTF_8));
      long written = 0;
      for (long end = System.nanoTime() + FLOOD_NANOS; System.nanoTime() < end; ) {
        int n = channel.write(chunk.rewind());
        written += n;
        if (n == 0) {
          // the server has stopped reading: it only needs to stay so
          TimeUnit.MILLISECONDS.sleep(10);
        }
      }
      return written;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 64,000-byte datagrams of ß, as fast as the kernel takes them; never reads. */
  private static int flood() {
    byte[] sharpS = "ß".repeat(32_000).getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket flooder = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      DatagramPacket datagram =
          new DatagramPacket(sharpS, sharpS.length, new InetSocketAddress("127.0.0.1", udpPort));
      int sent = 0;
      for (long end = System.nanoTime() + FLOOD_NANOS;
          System.nanoTime() < end && sent < 2_000_000;
          sent++) {
        flooder.send(datagram);
      }
      return sent;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long roundTrip(DatagramSocket socket, String text) throws IOException {
    byte[] request = text.getBytes(StandardCharsets.UTF_8);
    long start = System.nanoTime();
    socket.send(
        new DatagramPacket(request, request.length, new InetSocketAddress("127.0.0.1", udpPort)));
    byte[] buffer = new byte[2_048];
    DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(reply);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no reply to '" + text + "' within 2 s", e);
    }
    assertEquals(
        text.toUpperCase(Locale.ROOT),
        new String(buffer, 0, reply.getLength(), StandardCharsets.UTF_8));
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
