package capslock.server;

import static capslock.server.Conditions.awaitCondition;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import capslock.text.RandomText;
import capslock.text.Utf8Upper;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TcpEndpointTest {

  @Test
  void answersHelloWithNoNewlineAtOnce(Vertx vertx) throws Exception {
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    TcpTestClient client = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    client.send(Buffer.buffer("hello")).await(10, SECONDS);
    assertEquals("HELLO", client.received(5).await(10, SECONDS).toString());
  }

  @Test
  void upperCasesEveryScriptWithTheFullMapping(Vertx vertx) throws Exception {
    List<String> pieces =
        List.of(
            "ascii text\n", "한국어 ", "straße ", "ﬁ ", "ǰ ", "emoji 😀 ", "mixed ß 한 😀 ǰ ﬁ é i\n");
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    Buffer reply =
        TcpTestClient.exchange(
                vertx, server.tcpPort(), pieces.stream().map(Buffer::buffer).toList())
            .await(10, SECONDS);
    assertEquals(
        "ASCII TEXT\n한국어 STRASSE FI J̌ EMOJI 😀 MIXED SS 한 😀 J̌ FI É I\n", reply.toString());
  }

  @Test
  void sendsInvalidUtf8BackByteForByteAmongUpperCasedText(Vertx vertx) throws Exception {
    byte[] input =
        HexFormat.of().parseHex("61ff62c0af63eda080" + "64e0808065f49080806680c3a9" + "e282");
    byte[] expected =
        HexFormat.of().parseHex("41ff42c0af43eda080" + "44e0808045f49080804680c389" + "e282");
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    Buffer reply =
        TcpTestClient.exchange(vertx, server.tcpPort(), List.of(Buffer.buffer(input)))
            .await(10, SECONDS);
    assertArrayEquals(expected, reply.getBytes());
  }

  @Test
  void completesAFourByteCharacterSentOneByteAtATime(Vertx vertx) throws Exception {
    byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
    List<Buffer> pieces = new ArrayList<>();
    for (byte b : emoji) {
      pieces.add(Buffer.buffer(new byte[] {b}));
    }
    pieces.add(Buffer.buffer("ß"));
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    Buffer reply = TcpTestClient.exchange(vertx, server.tcpPort(), pieces).await(10, SECONDS);
    assertEquals("😀SS", reply.toString());
  }

  @Test
  void answersAtOnceHoldingBackOnlyTheStartOfASplitCharacter(Vertx vertx) throws Exception {
    byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    TcpTestClient client = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    client.send(Buffer.buffer("ab").appendBytes(emoji, 0, 2)).await(10, SECONDS);
    assertEquals(
        "AB",
        client.received(2).await(10, SECONDS).toString(),
        "the text at once, the start of 😀 held back");
    client.send(Buffer.buffer().appendBytes(emoji, 2, 2)).await(10, SECONDS);
    assertEquals("AB😀", client.received(6).await(10, SECONDS).toString());
  }

  @Test
  void answersBytesThatCanNeverBecomeACharacterAtOnce(Vertx vertx) throws Exception {
    byte[] surrogateStart = {'x', (byte) 0xED, (byte) 0xA0};
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    TcpTestClient client = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    client.send(Buffer.buffer(surrogateStart)).await(10, SECONDS);
    assertArrayEquals(
        new byte[] {'X', (byte) 0xED, (byte) 0xA0},
        client.received(3).await(10, SECONDS).getBytes());
  }

  @Test
  void afterAHalfCloseSendsWhatIsOwedThenClosesNormally(Vertx vertx) throws Exception {
    byte[] incomplete = {'a', 'b', 'c', (byte) 0xE2, (byte) 0x82};
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    Buffer reply =
        TcpTestClient.exchange(vertx, server.tcpPort(), List.of(Buffer.buffer(incomplete)))
            .await(10, SECONDS);
    assertArrayEquals(new byte[] {'A', 'B', 'C', (byte) 0xE2, (byte) 0x82}, reply.getBytes());
  }

  @Test
  void anEmptyStreamThenAHalfCloseGetsJustTheClose(Vertx vertx) throws Exception {
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    Buffer reply = TcpTestClient.exchange(vertx, server.tcpPort(), List.of()).await(10, SECONDS);
    assertEquals(0, reply.length());
  }

  @Test
  @Timeout(60)
  void streamsSixteenMebibytesExactly(Vertx vertx) throws Exception {
    byte[] input = RandomText.bytes(new Random(16), 16 * 1024 * 1024);
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    Buffer reply =
        TcpTestClient.exchange(vertx, server.tcpPort(), TcpTestClient.cut(input, 64 * 1024))
            .await(60, SECONDS);
    assertArrayEquals(Utf8Upper.apply(input), reply.getBytes());
  }

  @Test
  void anyBytesCutAnywhereComeBackAsTheWholeUpperCasedInOnePiece(Vertx vertx) throws Exception {
    Random random = new Random(20261125);
    List<byte[]> inputs =
        IntStream.range(0, 60)
            .mapToObj(i -> RandomText.bytes(random, random.nextInt(4096)))
            .toList();
    TestServer.Running server =
        TestServer.start(
                vertx, new JsonObject().put("worker", new JsonObject().put("instances", 3)))
            .await(10, SECONDS);
    // all 60 connections at once
    List<Future<Buffer>> replies =
        inputs.stream()
            .map(
                input ->
                    TcpTestClient.exchange(vertx, server.tcpPort(), cutRandomly(input, random)))
            .toList();
    Future.all(replies).await(30, SECONDS);
    for (int i = 0; i < inputs.size(); i++) {
      byte[] input = inputs.get(i);
      assertArrayEquals(
          Utf8Upper.apply(input),
          replies.get(i).result().getBytes(),
          () -> HexFormat.of().formatHex(input));
    }
  }

  @Test
  void twoHundredConcurrentConnectionsEachGetTheirOwnRepliesInOrder(Vertx vertx) throws Exception {
    TestServer.Running server =
        TestServer.start(
                vertx, new JsonObject().put("worker", new JsonObject().put("instances", 4)))
            .await(10, SECONDS);
    List<List<Buffer>> connections =
        IntStream.range(0, 200)
            .mapToObj(
                connection ->
                    IntStream.range(0, 30)
                        .mapToObj(
                            piece ->
                                Buffer.buffer(
                                    "connection " + connection + " piece " + piece + " straße ǰ\n"))
                        .toList())
            .toList();
    List<Future<Buffer>> replies =
        connections.stream()
            .map(pieces -> TcpTestClient.exchange(vertx, server.tcpPort(), pieces))
            .toList();
    Future.all(replies).await(30, SECONDS);
    for (int connection = 0; connection < connections.size(); connection++) {
      String expected =
          String.join(
              "",
              connections.get(connection).stream()
                  .map(piece -> piece.toString().toUpperCase(Locale.ROOT))
                  .toList());
      assertEquals(
          expected, replies.get(connection).result().toString(), "connection " + connection);
    }
  }

  @Test
  @Timeout(60)
  void aClientThatDoesNotReadIsPausedAndDoesNotSlowAnother(Vertx vertx) throws Exception {
    int total = 32 * 1024 * 1024;
    Buffer chunk = Buffer.buffer("a".repeat(64 * 1024));
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    TcpTestClient hog = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    hog.socket().pause(); // never reads its replies, for now
    Flood flood = Flood.start(hog, chunk, total);

    TcpTestClient other = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    pingPong(other, 100);
    assertTrue(
        flood.sent() < total,
        "the server stopped reading the client that does not read: "
            + flood.sent()
            + " of "
            + total
            + " bytes sent");
    assertTrue(server.count("capslock.tcp.backpressure.pauses") >= 1, "the pause is counted");

    hog.socket().resume(); // now it reads: everything comes back
    flood.finished().await(30, SECONDS);
    Buffer reply = hog.received(total).await(30, SECONDS);
    assertEquals(total, reply.length());
    assertEquals("A".repeat(1000), reply.getString(total - 1000, total));
  }

  /**
   * A client that writes a byte at a time while the workers do not answer is paused after a few
   * hundred pieces, each costing more than its byte (its buffer and 512 bytes): counted by their
   * bytes, 262,144 pieces (about 100 MB) could wait.
   */
  @Test
  void aClientWritingAByteAtATimeIsPausedByWhatItsPiecesHold(Vertx vertx) throws Exception {
    TestServer.Running server =
        TestServer.start(vertx, new JsonObject().put("role", "endpoints")).await(10, SECONDS);
    StalledWorker worker = StalledWorker.register(vertx).await(10, SECONDS);
    TcpTestClient client = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    int leastPieceCost = 1 + TcpConnection.PIECE_COST_BYTES;
    int mostPieces = (TcpConnection.MAX_UNANSWERED_BYTES + leastPieceCost - 1) / leastPieceCost;

    int sent = 0;
    while (server.count("capslock.tcp.backpressure.pauses") == 0 && sent < 2 * mostPieces) {
      client.send(Buffer.buffer("a")).await(10, SECONDS);
      sent++;
      // each byte its own piece: the next goes once the server has read this one (watched closely,
      // so that the whole takes well under the 2 s a try waits for its worker)
      long deadline = System.nanoTime() + SECONDS.toNanos(10);
      while (server.count("capslock.tcp.pieces") < sent
          && server.count("capslock.tcp.backpressure.pauses") == 0
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    }
    assertEquals(1, server.count("capslock.tcp.backpressure.pauses"));
    long pieces = server.count("capslock.tcp.pieces");
    assertTrue(pieces <= mostPieces, pieces + " pieces waited");
    assertTrue(held(server) >= TcpConnection.MAX_UNANSWERED_BYTES, "paused at its bound");

    worker.leave().await(10, SECONDS);
    // nothing was lost (and the byte sent as the pause came, if one was, is read then)
    assertEquals("A".repeat(sent), client.received(sent).await(10, SECONDS).toString());
  }

  @Test
  void closesAnIdleConnectionAndCountsIt(Vertx vertx) throws Exception {
    TestServer.Running server =
        TestServer.start(
                vertx, new JsonObject().put("tcp", new JsonObject().put("idleTimeoutSeconds", 1)))
            .await(10, SECONDS);
    Buffer received =
        TcpTestClient.connect(vertx, server.tcpPort())
            .compose(TcpTestClient::closed)
            .await(10, SECONDS);
    assertEquals(0, received.length());
    assertEquals(1, server.count("capslock.tcp.idle.closes"));
  }

  /**
   * An idle close gives back what it holds first: the start of a character that never came whole
   * (as a half-close does), since the client sent it.
   */
  @Test
  void anIdleCloseGivesBackTheStartOfACharacterItHeld(Vertx vertx) throws Exception {
    TestServer.Running server =
        TestServer.start(
                vertx, new JsonObject().put("tcp", new JsonObject().put("idleTimeoutSeconds", 1)))
            .await(10, SECONDS);
    TcpTestClient client = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    client.send(Buffer.buffer(new byte[] {'a', 'b', 'c', (byte) 0xE2, (byte) 0x82}));
    Buffer received = client.closed().await(10, SECONDS);
    assertEquals(
        HexFormat.of().formatHex(new byte[] {'A', 'B', 'C', (byte) 0xE2, (byte) 0x82}),
        HexFormat.of().formatHex(received.getBytes()));
    assertEquals(1, server.count("capslock.tcp.idle.closes"));
  }

  /**
   * What clients that send and never read make the node hold is bounded for the node
   * (tcp.maxPendingBytes), not only per connection: here twelve of them would hold about 1 MiB at
   * their own bounds (their replies over the socket's high-water mark), against the node's 256 KiB
   * and one read each over it. Another client is still answered.
   */
  @Test
  void whatClientsThatNeverReadHoldIsBoundedForTheNode(Vertx vertx) throws Exception {
    long bound = 256 * 1024;
    int clients = 12;
    // more than a socket's send buffer may grow to (Linux: 4 MiB): each client's replies back up,
    // so each pauses, whenever the node fills (with 2 MiB a client could be done before it did)
    TestServer.Running server = heldToItsBoundByClients(vertx, bound, clients, 8 * 1024 * 1024);

    long overBound = held(server) - bound;
    assertTrue(
        overBound <= clients * (2L * ReadBuffers.MAX_BYTES + 1024),
        "held " + held(server) + " bytes, bound " + bound);
    TcpTestClient other = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    other.send(Buffer.buffer("still answered"));
    assertEquals("STILL ANSWERED", other.received(14).await(10, SECONDS).toString());
  }

  /**
   * A piece counts against the bounds the whole buffer it was read into, which it keeps until it is
   * answered, not only its bytes: counted by its bytes, five thousand clients flooding made the
   * node hold three times its bound, out of direct memory.
   */
  @Test
  void aPieceHoldsTheWholeBufferItWasReadInto(Vertx vertx) throws Exception {
    TestServer.Running server =
        TestServer.start(vertx, new JsonObject().put("role", "endpoints")).await(10, SECONDS);
    StalledWorker worker = StalledWorker.register(vertx).await(10, SECONDS); // the piece waits
    TcpTestClient client = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    client.send(Buffer.buffer("abc")).await(10, SECONDS);
    awaitCondition(vertx, () -> server.count("capslock.tcp.pieces") == 1);
    // read into the first read's buffer, on io_uring or Java NIO
    assertTrue(
        held(server) >= ReadBuffers.FIRST_GUESS_BYTES + TcpConnection.PIECE_COST_BYTES,
        "held " + held(server) + " bytes for 3 bytes read");

    worker.leave().await(10, SECONDS); // upper-cased locally now
    assertEquals("ABC", client.received(3).await(10, SECONDS).toString());
    awaitCondition(vertx, () -> held(server) == 0); // and counted off as it was counted
  }

  /**
   * Clients that reset their connections while their replies wait to be written (they never read):
   * what those replies held is counted off all the same (the write that carries a flush's count
   * fails on a closed connection), so the node is not left pressed by clients long gone.
   */
  @Test
  void whatClientsThatResetWhileTheirRepliesWaitHeldIsCountedOff(Vertx vertx) throws Exception {
    TestServer.Running server = TestServer.start(vertx).await(10, SECONDS);
    Buffer chunk = Buffer.buffer("r".repeat(16 * 1024));
    int clients = 4;
    List<TcpTestClient> quitters = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      TcpTestClient quitter =
          TcpTestClient.connect(
                  vertx,
                  server.tcpPort(),
                  new NetClientOptions().setReceiveBufferSize(4096).setSoLinger(0))
              .await(10, SECONDS);
      quitter.socket().pause(); // never reads: its replies back up in the server
      Flood.start(quitter, chunk, 8 * 1024 * 1024);
      quitters.add(quitter);
    }
    // their replies back up: a connection whose replies wait holds at least the socket's high-water
    // mark (64 KiB), and counting pauses is not enough (one may be over before the next read)
    awaitCondition(vertx, () -> held(server) >= clients * 64 * 1024);

    for (TcpTestClient quitter : quitters) {
      // a reset (SO_LINGER 0) at once: the socket's own close would wait for the flood's writes
      ((NetSocketInternal) quitter.socket()).channelHandlerContext().close();
    }
    awaitCondition(vertx, () -> server.count("capslock.tcp.connections.closed") == clients);
    awaitCondition(vertx, () -> held(server) == 0);
    TcpTestClient after = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    pingPong(after, 3); // and the node serves on
  }

  /**
   * A client that resets its connection while it is paused and the node holds its bound is closed
   * unread. Netty's io_uring transport reads such a socket to its end, paused or not: a thousand
   * clients that sent and never read, then closed, poured what the kernel held for them into the
   * node and ran it out of direct memory. Java NIO reads nothing while paused: the test is
   * io_uring's.
   */
  @Test
  void aClientThatResetsWhilePausedWithTheNodeFullIsClosedUnread(Vertx vertx) throws Exception {
    assumeTrue(
        "io_uring".equals(Transports.name(vertx)),
        "Java NIO does not read a paused connection's end");
    int bound = 256 * 1024; // the least it may be
    TestServer.Running server =
        TestServer.start(
                vertx,
                new JsonObject()
                    .put("role", "endpoints")
                    .put("tcp", new JsonObject().put("maxPendingBytes", bound)))
            .await(10, SECONDS);
    StalledWorker.register(vertx).await(10, SECONDS); // nothing is answered: what is read stays
    TcpTestClient quitter =
        TcpTestClient.connect(vertx, server.tcpPort(), new NetClientOptions().setSoLinger(0))
            .await(10, SECONDS);
    int sent = bound + 64 * 1024; // the rest waits in the kernel's buffers
    quitter.send(Buffer.buffer("q".repeat(sent))).await(10, SECONDS);
    awaitCondition(vertx, () -> server.count("capslock.tcp.backpressure.pauses") == 1);
    double read = server.count("capslock.tcp.bytes.in");
    assertTrue(read < sent, "paused with input unread: " + read + " of " + sent + " bytes read");

    quitter.socket().close().await(10, SECONDS); // a reset, with SO_LINGER 0
    awaitCondition(vertx, () -> server.count("capslock.tcp.connections.closed") == 1);
    double readAfter = server.count("capslock.tcp.bytes.in") - read;
    assertTrue(
        readAfter <= ReadBuffers.MAX_BYTES,
        "what the kernel held for it stays unread: " + readAfter + " bytes read after the pause");
    assertEquals(1, server.count("capslock.tcp.ended.inputs.reset"));
  }

  /**
   * The other side of that reset: while the node has room, a client that half-closes while its
   * connection is paused (here by its own bound, its pieces unanswered) gets every reply, then the
   * end, whether its rest is read at once (io_uring) or once the connection reads again (Java NIO).
   */
  @Test
  void aClientThatHalfClosesWhilePausedGetsEveryReplyWhileTheNodeHasRoom(Vertx vertx)
      throws Exception {
    TestServer.Running server =
        TestServer.start(vertx, new JsonObject().put("role", "endpoints")).await(10, SECONDS);
    StalledWorker worker = StalledWorker.register(vertx).await(10, SECONDS);
    TcpTestClient client = TcpTestClient.connect(vertx, server.tcpPort()).await(10, SECONDS);
    int sent = TcpConnection.MAX_UNANSWERED_BYTES + 16 * 1024; // the rest fits in the kernel's
    client.send(Buffer.buffer("h".repeat(sent))).await(10, SECONDS);
    awaitCondition(vertx, () -> server.count("capslock.tcp.backpressure.pauses") == 1);

    client.finishSending().await(10, SECONDS);
    worker.leave().await(10, SECONDS); // the pieces are upper-cased locally now
    Buffer received = client.closed().await(10, SECONDS);
    assertEquals(sent, received.length(), "every reply");
    assertTrue(received.toString().equals("H".repeat(sent)), "every byte upper-cased");
    assertEquals(0, server.count("capslock.tcp.ended.inputs.reset"));
    assertTrue(client.failures().isEmpty(), "ended normally: " + client.failures());
  }

  /**
   * Replies waiting for many clients that never read are never written as writes of nothing (nor
   * are the clients' requests: they share the test's event loops). Netty's io_uring event loop lays
   * every channel's write out in one shared iovec array, sized ten times IOV_MAX by default, but
   * fills it to IOV_MAX entries only: past that, each channel's write was a write of no bytes, done
   * at once and scheduled again, round after round, until the array was next handed to the kernel.
   * 2,000 such clients kept the event loop a whole core busy for seconds after they had stopped
   * sending, and Netty warned of its completion queue's overflow up to 1,700 times. Sized to
   * IOV_MAX (io.netty.iouring.numElementsIoVec, as CapslockApplication sets it), the array is
   * handed to the kernel when full instead.
   */
  @Test
  @Timeout(120)
  void repliesWaitingForManyClientsAreNeverWritesOfNothing(Vertx vertx) throws Exception {
    assumeTrue("io_uring".equals(Transports.name(vertx)), "an io_uring event loop's writes");
    try (EmptyWrites emptyWrites = EmptyWrites.watch()) {
      heldToItsBoundByClients(vertx, 4 * 1024 * 1024, 200, 2 * 1024 * 1024);
      assertTrue(emptyWrites.writes() > 0, "Netty's trace of its writes was seen");
      assertEquals(0, emptyWrites.empty(), "writes of no bytes");
    }
  }

  /**
   * A server whose node holds {@code bound} bytes (tcp.maxPendingBytes) or more, for {@code
   * clients} clients that each send {@code bytesEach} and never read, all paused.
   */
  private static TestServer.Running heldToItsBoundByClients(
      Vertx vertx, long bound, int clients, int bytesEach) throws Exception {
    TestServer.Running server =
        TestServer.start(
                vertx, new JsonObject().put("tcp", new JsonObject().put("maxPendingBytes", bound)))
            .await(10, SECONDS);
    Buffer chunk = Buffer.buffer("x".repeat(16 * 1024));
    for (int i = 0; i < clients; i++) {
      TcpTestClient hog =
          TcpTestClient.connect(
                  vertx, server.tcpPort(), new NetClientOptions().setReceiveBufferSize(4096))
              .await(10, SECONDS);
      hog.socket().pause(); // never reads (and its small buffer soon takes no more replies)
      Flood.start(hog, chunk, bytesEach);
    }
    awaitCondition(vertx, () -> held(server) >= bound);
    awaitCondition(vertx, () -> server.count("capslock.tcp.backpressure.pauses") >= clients);
    return server;
  }

  private static long held(TestServer.Running server) {
    return (long) server.registry().get("capslock.tcp.held.bytes").gauge().value();
  }

  /** {@code rounds} request/reply exchanges, one after the other, each checked. */
  private static void pingPong(TcpTestClient client, int rounds) throws Exception {
    int expectedTotal = 0;
    for (int round = 1; round <= rounds; round++) {
      String request = "ping " + round + " ß\n";
      String expected = request.toUpperCase(Locale.ROOT); // ASCII: as many bytes as characters
      expectedTotal += expected.length();
      client.send(Buffer.buffer(request)).await(10, SECONDS);
      Buffer reply = client.received(expectedTotal).await(10, SECONDS);
      assertEquals(
          expected,
          reply.getString(reply.length() - expected.length(), reply.length()),
          "round " + round);
    }
  }

  /**
   * Writes {@code total} bytes as fast as the connection takes them, following its back-pressure,
   * on its event loop.
   */
  private static final class Flood {
    private final TcpTestClient client;
    private final Buffer chunk;
    private final int total;
    private final Promise<Void> finished = Promise.promise();

    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the connection's event loop
    private volatile int sent; // written on the connection's event loop only

    private Flood(TcpTestClient client, Buffer chunk, int total) {
      this.client = client;
      this.chunk = chunk;
      this.total = total;
    }

    static Flood start(TcpTestClient client, Buffer chunk, int total) {
      Flood flood = new Flood(client, chunk, total);
      client.context().runOnContext(started -> flood.write());
      return flood;
    }

    int sent() {
      return sent;
    }

    Future<Void> finished() {
      return finished.future();
    }

    private void write() {
      while (sent < total && !client.socket().writeQueueFull()) {
        client.socket().write(chunk);
        sent += chunk.length();
      }
      if (sent < total) {
        client.socket().drainHandler(drained -> write());
      } else {
        finished.tryComplete();
      }
    }
  }

  private static List<Buffer> cutRandomly(byte[] input, Random random) {
    List<Buffer> pieces = new ArrayList<>();
    for (int at = 0; at < input.length; ) {
      int next = Math.min(input.length, at + 1 + random.nextInt(16));
      pieces.add(Buffer.buffer(Arrays.copyOfRange(input, at, next)));
      at = next;
    }
    return pieces;
  }
}
