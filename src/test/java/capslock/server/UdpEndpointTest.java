package capslock.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.util.HexFormat;
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
}
