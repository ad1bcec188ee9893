package capslock.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.text.RandomText;
import capslock.text.Utf8Upper;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TcpEndpointTest {

  @Test
  void answersHelloWithNoNewlineAtOnce(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx)
        .compose(server -> TcpTestClient.connect(vertx, server.tcpPort()))
        .compose(client -> client.send(Buffer.buffer("hello")).compose(sent -> client.received(5)))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("HELLO", reply.toString());
          ctx.completeNow();
        })));
  }

  @Test
  void upperCasesEveryScriptWithTheFullMapping(Vertx vertx, VertxTestContext ctx) {
    List<String> pieces = List.of("ascii text\n", "한국어 ", "straße ", "ﬁ ", "ǰ ", "emoji 😀 ", "mixed ß 한 😀 ǰ ﬁ é i\n");
    TestServer.start(vertx)
        .compose(server -> TcpTestClient.exchange(vertx, server.tcpPort(), pieces.stream().map(Buffer::buffer).toList()))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("ASCII TEXT\n한국어 STRASSE FI J̌ EMOJI 😀 MIXED SS 한 😀 J̌ FI É I\n", reply.toString());
          ctx.completeNow();
        })));
  }

  @Test
  void sendsInvalidUtf8BackByteForByteAmongUpperCasedText(Vertx vertx, VertxTestContext ctx) {
    byte[] input = HexFormat.of().parseHex("61ff62c0af63eda080" + "64e0808065f49080806680c3a9" + "e282");
    byte[] expected = HexFormat.of().parseHex("41ff42c0af43eda080" + "44e0808045f49080804680c389" + "e282");
    TestServer.start(vertx)
        .compose(server -> TcpTestClient.exchange(vertx, server.tcpPort(), List.of(Buffer.buffer(input))))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertArrayEquals(expected, reply.getBytes());
          ctx.completeNow();
        })));
  }

  @Test
  void completesAFourByteCharacterSentOneByteAtATime(Vertx vertx, VertxTestContext ctx) {
    byte[] emoji = "😀".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Buffer> pieces = new ArrayList<>();
    for (byte b : emoji) {
      pieces.add(Buffer.buffer(new byte[] {b}));
    }
    pieces.add(Buffer.buffer("ß"));
    TestServer.start(vertx)
        .compose(server -> TcpTestClient.exchange(vertx, server.tcpPort(), pieces))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("😀SS", reply.toString());
          ctx.completeNow();
        })));
  }

  @Test
  void answersAtOnceHoldingBackOnlyTheStartOfASplitCharacter(Vertx vertx, VertxTestContext ctx) {
    byte[] emoji = "😀".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    TestServer.start(vertx)
        .compose(server -> TcpTestClient.connect(vertx, server.tcpPort()))
        .compose(client -> client.send(Buffer.buffer("ab").appendBytes(emoji, 0, 2))
            .compose(sent -> client.received(2))
            .compose(first -> {
              ctx.verify(() -> assertEquals("AB", first.toString()));
              return client.send(Buffer.buffer().appendBytes(emoji, 2, 2)).compose(sent -> client.received(6));
            }))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("AB😀", reply.toString());
          ctx.completeNow();
        })));
  }

  @Test
  void answersBytesThatCanNeverBecomeACharacterAtOnce(Vertx vertx, VertxTestContext ctx) {
    byte[] surrogateStart = {'x', (byte) 0xED, (byte) 0xA0};
    TestServer.start(vertx)
        .compose(server -> TcpTestClient.connect(vertx, server.tcpPort()))
        .compose(client -> client.send(Buffer.buffer(surrogateStart)).compose(sent -> client.received(3)))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertArrayEquals(new byte[] {'X', (byte) 0xED, (byte) 0xA0}, reply.getBytes());
          ctx.completeNow();
        })));
  }

  @Test
  void afterAHalfCloseSendsWhatIsOwedThenClosesNormally(Vertx vertx, VertxTestContext ctx) {
    byte[] incomplete = {'a', 'b', 'c', (byte) 0xE2, (byte) 0x82};
    TestServer.start(vertx)
        .compose(server -> TcpTestClient.exchange(vertx, server.tcpPort(), List.of(Buffer.buffer(incomplete))))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertArrayEquals(new byte[] {'A', 'B', 'C', (byte) 0xE2, (byte) 0x82}, reply.getBytes());
          ctx.completeNow();
        })));
  }

  @Test
  void anEmptyStreamThenAHalfCloseGetsJustTheClose(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx)
        .compose(server -> TcpTestClient.exchange(vertx, server.tcpPort(), List.of()))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals(0, reply.length());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void streamsSixteenMebibytesExactly(Vertx vertx, VertxTestContext ctx) {
    byte[] input = RandomText.bytes(new Random(16), 16 * 1024 * 1024);
    TestServer.start(vertx)
        .compose(server -> TcpTestClient.exchange(vertx, server.tcpPort(), cut(input, 64 * 1024)))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertArrayEquals(Utf8Upper.apply(input), reply.getBytes());
          ctx.completeNow();
        })));
  }

  @Test
  void anyBytesCutAnywhereComeBackAsTheWholeUpperCasedInOnePiece(Vertx vertx, VertxTestContext ctx) {
    Random random = new Random(20261125);
    List<byte[]> inputs = IntStream.range(0, 60).mapToObj(i -> RandomText.bytes(random, random.nextInt(4096))).toList();
    TestServer.start(vertx, new JsonObject().put("worker", new JsonObject().put("instances", 3)))
        .compose(server -> Future.all(inputs.stream()
            .map(input -> TcpTestClient.exchange(vertx, server.tcpPort(), cutRandomly(input, random))
                .onSuccess(reply -> ctx.verify(() -> assertArrayEquals(Utf8Upper.apply(input), reply.getBytes(),
                    () -> HexFormat.of().formatHex(input)))))
            .toList()))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void twoHundredConcurrentConnectionsEachGetTheirOwnRepliesInOrder(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx, new JsonObject().put("worker", new JsonObject().put("instances", 4)))
        .compose(server -> Future.all(IntStream.range(0, 200).mapToObj(connection -> {
          List<Buffer> pieces = IntStream.range(0, 30)
              .mapToObj(piece -> Buffer.buffer("connection " + connection + " piece " + piece + " straße ǰ\n"))
              .toList();
          String expected = String.join("", pieces.stream().map(piece -> piece.toString().toUpperCase(java.util.Locale.ROOT)).toList());
          return TcpTestClient.exchange(vertx, server.tcpPort(), pieces)
              .onSuccess(reply -> ctx.verify(() -> assertEquals(expected, reply.toString())));
        }).toList()))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aClientThatDoesNotReadIsPausedAndDoesNotSlowAnother(Vertx vertx, VertxTestContext ctx) {
    int total = 32 * 1024 * 1024;
    Buffer chunk = Buffer.buffer("a".repeat(64 * 1024));
    TestServer.start(vertx).onComplete(ctx.succeeding(server -> TcpTestClient.connect(vertx, server.tcpPort())
        .onComplete(ctx.succeeding(hog -> {
          hog.socket().pause(); // never reads its replies, for now
          Flood flood = new Flood(hog, chunk, total);
          flood.start();
          TcpTestClient.connect(vertx, server.tcpPort())
              .compose(other -> pingPong(other, 100))
              .compose(done -> {
                ctx.verify(() -> {
                  assertTrue(flood.sent < total,
                      "the server stopped reading the client that does not read: " + flood.sent + " of " + total + " bytes sent");
                  assertTrue(server.count("capslock.tcp.backpressure.pauses") >= 1, "the pause is counted");
                });
                hog.socket().resume(); // now it reads: everything comes back
                return flood.finished.future().compose(sent -> hog.received(total));
              })
              .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
                assertEquals(total, reply.length());
                assertEquals("A".repeat(1000), reply.getString(total - 1000, total));
                ctx.completeNow();
              })));
        }))));
  }

  @Test
  void closesAnIdleConnectionAndCountsIt(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx, new JsonObject().put("tcp", new JsonObject().put("idleTimeoutSeconds", 1)))
        .onComplete(ctx.succeeding(server -> TcpTestClient.connect(vertx, server.tcpPort())
            .compose(TcpTestClient::closed)
            .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
              assertEquals(0, received.length());
              assertEquals(1, server.count("capslock.tcp.idle.closes"));
              ctx.completeNow();
            })))));
  }

  /** {@code rounds} request/reply exchanges, one after the other, each checked. */
  private static Future<Void> pingPong(TcpTestClient client, int rounds) {
    Future<Void> all = Future.succeededFuture();
    for (int round = 1; round <= rounds; round++) {
      String request = "ping " + round + " ß\n";
      int expectedTotal = IntStream.rangeClosed(1, round).map(r -> ("ping " + r + " ss\n").length()).sum();
      all = all.compose(previous -> client.send(Buffer.buffer(request))
          .compose(sent -> client.received(expectedTotal))
          .compose(reply -> reply.toString().endsWith(request.toUpperCase(java.util.Locale.ROOT))
              ? Future.<Void>succeededFuture()
              : Future.<Void>failedFuture("wrong reply: " + reply)));
    }
    return all;
  }

  /** Writes {@code total} bytes as fast as the connection takes them, following its back-pressure. */
  private static final class Flood {
    private final TcpTestClient client;
    private final Buffer chunk;
    private final int total;
    private final Promise<Void> finished = Promise.promise();
    private int sent;

    Flood(TcpTestClient client, Buffer chunk, int total) {
      this.client = client;
      this.chunk = chunk;
      this.total = total;
    }

    void start() {
      while (sent < total && !client.socket().writeQueueFull()) {
        client.socket().write(chunk);
        sent += chunk.length();
      }
      if (sent < total) {
        client.socket().drainHandler(drained -> start());
      } else {
        finished.tryComplete();
      }
    }
  }

  private static List<Buffer> cut(byte[] input, int size) {
    List<Buffer> pieces = new ArrayList<>();
    for (int at = 0; at < input.length; at += size) {
      pieces.add(Buffer.buffer(Arrays.copyOfRange(input, at, Math.min(input.length, at + size))));
    }
    return pieces;
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
