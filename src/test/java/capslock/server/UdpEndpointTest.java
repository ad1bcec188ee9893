package capslock.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayDeque;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class UdpEndpointTest {

  @Test
  void repliesFromTheServerPortWithTheUpperCase(Vertx vertx, VertxTestContext ctx) {
    TestServer.start(vertx).onComplete(ctx.succeeding(server -> UdpTestClient.open(vertx)
        .compose(client -> client.request(server.udpPort(), Buffer.buffer("hello straße ǰ ﬁ 😀 한국어 i")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("HELLO STRASSE J̌ FI 😀 한국어 I", reply.data().toString());
          assertEquals(server.udpPort(), reply.sender().port());
          ctx.completeNow();
        })))));
  }

  @Test
  void sendsInvalidUtf8BackByteForByte(Vertx vertx, VertxTestContext ctx) {
    byte[] input = HexFormat.of().parseHex("61ff62c0af63eda08064e282");
    byte[] expected = HexFormat.of().parseHex("41ff42c0af43eda08044e282");
    TestServer.start(vertx)
        .compose(server -> UdpTestClient.open(vertx).compose(client -> client.request(server.udpPort(), Buffer.buffer(input))))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertArrayEquals(expected, reply.data().getBytes());
          ctx.completeNow();
        })));
  }

  @Test
  void answersAnEmptyDatagramWithAnEmptyOne(Vertx vertx) throws Exception {
    int port = TestServer.start(vertx).await().udpPort();
    // a plain Java socket: Netty 4.2.18's NIO channel (the test client's, on the NIO run) would not send it
    try (java.net.DatagramSocket client = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.setSoTimeout(5_000);
      client.send(new java.net.DatagramPacket(new byte[0], 0, new InetSocketAddress("127.0.0.1", port)));
      java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[16], 16);
      client.receive(reply);
      assertEquals(0, reply.getLength());
      assertEquals(port, reply.getPort(), "from the server's port");
    }
  }

  @Test
  void receivesTheLargestDatagramWhole(Vertx vertx, VertxTestContext ctx) {
    String largest = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(2000).substring(0, 65_507);
    TestServer.start(vertx)
        .compose(server -> UdpTestClient.open(vertx).compose(client -> client.request(server.udpPort(), Buffer.buffer(largest))))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals(65_507, reply.data().length());
          assertEquals(largest.toUpperCase(java.util.Locale.ROOT), reply.data().toString());
          ctx.completeNow();
        })));
  }

  @Test
  void dropsAReplyOverTheLargestDatagramThenAnswersTheNext(Vertx vertx, VertxTestContext ctx) {
    Buffer triples = Buffer.buffer("ΐ".repeat(12_000)); // 24,000 bytes, upper-cased to 72,000
    TestServer.start(vertx).onComplete(ctx.succeeding(server -> UdpTestClient.open(vertx)
        .compose(client -> client.send(server.udpPort(), triples)
            .compose(sent -> client.request(server.udpPort(), Buffer.buffer("next"))))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("NEXT", reply.data().toString());
          assertEquals(1, server.count("capslock.udp.oversize.replies.dropped"));
          ctx.completeNow();
        })))));
  }

  @Test
  void dropsAReplyOverTheConfiguredMaximum(Vertx vertx, VertxTestContext ctx) {
    JsonObject small = new JsonObject().put("udp", new JsonObject().put("maxDatagramBytes", 100));
    TestServer.start(vertx, small).onComplete(ctx.succeeding(server -> UdpTestClient.open(vertx)
        .compose(client -> client.send(server.udpPort(), Buffer.buffer("ΐ".repeat(20))) // 40 bytes in, 120 out
            .compose(sent -> client.request(server.udpPort(), Buffer.buffer("ΐ".repeat(16))))) // 32 in, 96 out
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("ΐ".repeat(16).toUpperCase(java.util.Locale.ROOT), reply.data().toString());
          assertEquals(1, server.count("capslock.udp.oversize.replies.dropped"));
          ctx.completeNow();
        })))));
  }
}
