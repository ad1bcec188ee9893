package capslock.server;

import static capslock.server.Conditions.awaitCondition;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class UdpEndpointTest {

  @Test
  void repliesFromTheServerPortWithTheUpperCase(Vertx vertx) throws Exception {
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    UdpTestClient client = UdpTestClient.open(vertx).await(10, SECONDS);
    DatagramPacket reply =
        client
            .request(server.udpPort(), Buffer.buffer("hello straße ǰ ﬁ 😀 한국어 i"))
            .await(10, SECONDS);
    assertEquals("HELLO STRASSE J̌ FI 😀 한국어 I", reply.data().toString());
    assertEquals(server.udpPort(), reply.sender().port());
  }

  @Test
  void sendsInvalidUtf8BackByteForByte(Vertx vertx) throws Exception {
    byte[] input = HexFormat.of().parseHex("61ff62c0af63eda08064e282");
    byte[] expected = HexFormat.of().parseHex("41ff42c0af43eda08044e282");
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    UdpTestClient client = UdpTestClient.open(vertx).await(10, SECONDS);
    DatagramPacket reply =
        client.request(server.udpPort(), Buffer.buffer(input)).await(10, SECONDS);
    assertArrayEquals(expected, reply.data().getBytes());
  }

  @Test
  void answersAnEmptyDatagramWithAnEmptyOne(Vertx vertx) throws Exception {
    int port = TestServer.start(vertx).await(10, SECONDS).udpPort();
    // a plain Java socket: Netty 4.2.18's NIO channel (the test client's, on the NIO run) would not
    // send it
    try (java.net.DatagramSocket client =
        new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.setSoTimeout(5_000);
      client.send(
          new java.net.DatagramPacket(new byte[0], 0, new InetSocketAddress("127.0.0.1", port)));
      java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[16], 16);
      client.receive(reply);
      assertEquals(0, reply.getLength());
      assertEquals(port, reply.getPort(), "from the server's port");
    }
  }

  /**
   * An empty reply keeps its place among its source's replies while they wait to leave (as when the
   * socket's send buffer is full). On Java NIO it is sent around Netty, which would drop it: there,
   * sent at once, it came before the replies that waited.
   */
  @Test
  void anEmptyReplyComesAfterTheRepliesBeforeItThatWaitedToLeave(Vertx vertx) throws Exception {
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    DatagramChannel channel = server.endpoints().udpChannel();
    channel
        .eventLoop()
        .submit(() -> channel.pipeline().addLast(new HoldRepliesUntil("LAST")))
        .get(10, SECONDS);
    assertEquals(
        List.of("FIRST", "", "LAST"), sendAtOnce(server.udpPort(), List.of("first", "", "last")));
  }

  /**
   * Holds the replies written, as a full send buffer would, until one ends with {@code last}; then
   * lets them all go, in order.
   */
  private static final class HoldRepliesUntil extends ChannelOutboundHandlerAdapter {
    private final String last;
    private final List<Object> replies = new ArrayList<>();
    private final List<ChannelPromise> promises = new ArrayList<>();
    private boolean holding = true;

    HoldRepliesUntil(String last) {
      this.last = last;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object reply, ChannelPromise promise) {
      if (!holding) {
        ctx.write(reply, promise);
        return;
      }
      replies.add(reply);
      promises.add(promise);
      if (((io.netty.channel.socket.DatagramPacket) reply)
          .content()
          .toString(StandardCharsets.UTF_8)
          .endsWith(last)) {
        holding = false;
        for (int i = 0; i < replies.size(); i++) {
          ctx.write(replies.get(i), promises.get(i));
        }
        ctx.flush();
      }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (!holding) {
        ctx.flush();
      }
    }
  }

  /**
   * Replies of one length to one source may leave as one segmented send (io_uring): each must still
   * come as a datagram of its own, whole and in order, at the bounds of such a send too (the most
   * segments, the most bytes, the largest segment, a shorter last one, a longer one after).
   */
  @Test
  void aBurstOfRepliesOfFewLengthsComesBackDatagramByDatagramInOrder(Vertx vertx) throws Exception {
    List<String> burst = new ArrayList<>();
    lines(burst, 100, 10);
    lines(burst, 3, 20);
    lines(burst, 1, 15);
    lines(burst, 2, 20);
    burst.add("");
    lines(burst, 2, 1_200);
    lines(burst, 2, 1_201);
    lines(burst, 60, 1_100);
    lines(burst, 2, 30);
    lines(burst, 1, 31);
    lines(burst, 2, 30);
    int port = TestServer.start(vertx).await(10, SECONDS).udpPort();
    assertEquals(upperCases(burst), sendAtOnce(port, burst));
  }

  /**
   * What waits for the workers is bounded per source by the bytes it holds: a datagram of a few KiB
   * must cost its own size, not the size of the buffer it was read into (64 KiB). With a quarter of
   * 512 KiB for one source, 24 such datagrams sent at once all fit, and all are answered.
   */
  @Test
  void aBurstOfMidSizedDatagramsFromOneSourceIsAnsweredWhole(Vertx vertx) throws Exception {
    List<String> burst = new ArrayList<>();
    lines(burst, 24, 3_000);
    JsonObject smallBound =
        new JsonObject().put("udp", new JsonObject().put("maxPendingBytes", 512 * 1024));
    int port = TestServer.start(vertx, smallBound).await(10, SECONDS).udpPort();
    assertEquals(upperCases(burst), sendAtOnce(port, burst));
  }

  /**
   * Large datagrams from one source are answered up to the source's bound, counted by what each
   * holds: with the default bounds (2 MiB for one source), 8 of 60,000 bytes. On io_uring each was
   * once counted by its read buffer of 1 MiB, and only 2 were answered.
   */
  @Test
  void aBurstOfLargeDatagramsFromOneSourceIsAnsweredWhole(Vertx vertx) throws Exception {
    List<String> burst = new ArrayList<>();
    lines(burst, 8, 60_000);
    int port = TestServer.start(vertx).await(10, SECONDS).udpPort();
    assertEquals(upperCases(burst), sendAtOnce(port, burst));
  }

  /**
   * Each datagram is read into 64 KiB, on io_uring as on NIO: the io_uring channel keeps the read
   * allocator Vert.x made it with (which read into 1 MiB buffers when Vert.x was given the socket's
   * receive buffer size), whatever is set on it later.
   */
  @Test
  void readsEachDatagramInto64KiBOnEveryTransport(Vertx vertx) throws Exception {
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    assertEquals(64 * 1024, server.endpoints().udpReadBufferBytes());
  }

  /** Sends every line of {@code burst} at once from one socket, then returns the replies. */
  private static List<String> sendAtOnce(int port, List<String> burst) throws Exception {
    try (java.net.DatagramSocket client =
        new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.setReceiveBufferSize(1 << 20);
      client.setSoTimeout(5_000);
      InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
      for (String line : burst) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        client.send(new java.net.DatagramPacket(bytes, bytes.length, server));
      }
      List<String> replies = new ArrayList<>();
      java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[65_536], 65_536);
      for (int i = 0; i < burst.size(); i++) {
        client.receive(reply);
        replies.add(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
      }
      return replies;
    }
  }

  private static List<String> upperCases(List<String> lines) {
    return lines.stream().map(line -> line.toUpperCase(Locale.ROOT)).toList();
  }

  /** Adds {@code count} distinct lines of {@code length} bytes. */
  private static void lines(List<String> burst, int count, int length) {
    for (int i = 0; i < count; i++) {
      String line = "line " + burst.size() + " of " + length + " bytes: ";
      burst.add((line + "x".repeat(length)).substring(0, length));
    }
  }

  @Test
  void receivesTheLargestDatagramWhole(Vertx vertx) throws Exception {
    String largest = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(2000).substring(0, 65_507);
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    UdpTestClient client = UdpTestClient.open(vertx).await(10, SECONDS);
    DatagramPacket reply =
        client.request(server.udpPort(), Buffer.buffer(largest)).await(10, SECONDS);
    assertEquals(65_507, reply.data().length());
    assertEquals(largest.toUpperCase(Locale.ROOT), reply.data().toString());
  }

  @Test
  void dropsAReplyOverTheLargestDatagramThenAnswersTheNext(Vertx vertx) throws Exception {
    Buffer triples = Buffer.buffer("ΐ".repeat(12_000)); // 24,000 bytes, upper-cased to 72,000
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    UdpTestClient client = UdpTestClient.open(vertx).await(10, SECONDS);
    client.send(server.udpPort(), triples).await(10, SECONDS);
    DatagramPacket reply =
        client.request(server.udpPort(), Buffer.buffer("next")).await(10, SECONDS);
    assertEquals("NEXT", reply.data().toString(), "the next datagram's reply is the first to come");
    assertEquals(1, server.count("capslock.udp.oversize.replies.dropped"));
  }

  @Test
  void dropsAReplyOverTheConfiguredMaximum(Vertx vertx) throws Exception {
    JsonObject small = new JsonObject().put("udp", new JsonObject().put("maxDatagramBytes", 100));
    TestServer.Running server = TestServer.start(vertx, small).await(10, SECONDS);
    UdpTestClient client = UdpTestClient.open(vertx).await(10, SECONDS);
    client
        .send(server.udpPort(), Buffer.buffer("ΐ".repeat(20)))
        .await(10, SECONDS); // 40 bytes in, 120 out
    DatagramPacket reply =
        client
            .request(server.udpPort(), Buffer.buffer("ΐ".repeat(16)))
            .await(10, SECONDS); // 32 in, 96 out
    assertEquals("ΐ".repeat(16).toUpperCase(Locale.ROOT), reply.data().toString());
    assertEquals(1, server.count("capslock.udp.oversize.replies.dropped"));
  }

  /**
   * A stop sends every reply owed before the port closes: here the workers hold them all until the
   * stop has begun, and they are then answered together, in one turn, to 64 sources.
   */
  @Test
  void closesOnlyOnceEveryReplyOwedHasGone(Vertx vertx) throws Exception {
    TestServer.Running server =
        TestServer.start(vertx, new JsonObject().put("role", "endpoints")).await(10, SECONDS);
    StalledWorker worker = StalledWorker.register(vertx).await(10, SECONDS);
    int sources = 64;
    List<Future<DatagramPacket>> replies = new ArrayList<>();
    for (int i = 0; i < sources; i++) {
      UdpTestClient client = UdpTestClient.open(vertx).await(10, SECONDS);
      replies.add(client.request(server.udpPort(), Buffer.buffer("source " + i + " straße")));
    }
    awaitCondition(vertx, () -> server.count("capslock.udp.datagrams") == sources);

    Future<Void> stopped = vertx.undeploy(server.main().deploymentID()); // waits for the replies
    worker.leave().await(10, SECONDS); // all it held is upper-cased locally, in one turn
    stopped.await(10, SECONDS);

    for (int i = 0; i < sources; i++) {
      assertEquals(
          "SOURCE " + i + " STRASSE",
          replies.get(i).await(2, SECONDS).data().toString(),
          "source " + i);
    }
  }

  /**
   * A reply held back by the delay a teacher set (udp.simulatedDelayMs) is not late for it: only
   * what comes later than a second after that delay counts as falling behind.
   */
  @Test
  void aSimulatedDelayIsNotCountedAsFallingBehind(Vertx vertx) throws Exception {
    JsonObject delayed =
        new JsonObject().put("udp", new JsonObject().put("simulatedDelayMs", 1_100));
    TestServer.Running server = TestServer.start(vertx, delayed).await(10, SECONDS);
    UdpTestClient client = UdpTestClient.open(vertx).await(10, SECONDS);
    DatagramPacket reply =
        client.request(server.udpPort(), Buffer.buffer("slow")).await(10, SECONDS);
    assertEquals("SLOW", reply.data().toString());
    assertEquals(0, server.count("capslock.udp.late.replies"));
  }

  /**
   * Replies that cannot leave (the socket's send buffer full: the channel unwritable) hold no more
   * requests: a datagram is then dropped unread and counted, and answered again once they leave.
   */
  @Test
  void dropsAndCountsRequestsWhileItsRepliesCannotLeave(Vertx vertx) throws Exception {
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    DatagramChannel channel = server.endpoints().udpChannel();
    UdpTestClient client = UdpTestClient.open(vertx).await(10, SECONDS);

    setWritable(channel, false);
    client.send(server.udpPort(), Buffer.buffer("not now")).await(10, SECONDS);
    awaitCondition(vertx, () -> server.count("capslock.udp.overload.drops") == 1);

    setWritable(channel, true);
    assertEquals(
        "AGAIN",
        client
            .request(server.udpPort(), Buffer.buffer("again"))
            .await(5, SECONDS)
            .data()
            .toString());
    assertEquals(1, server.count("capslock.udp.overload.drops"));
  }

  /** As Netty's queue says when it holds more than its high-water mark, on the channel's loop. */
  private static void setWritable(DatagramChannel channel, boolean writable) throws Exception {
    channel
        .eventLoop()
        .submit(() -> channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable))
        .get(10, SECONDS);
  }
}
