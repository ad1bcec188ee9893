package capslock.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The dashboard's feed of the last requests (http.showTraffic). */
class TrafficFeedTest {

  private final TrafficFeed feed = new TrafficFeed();
  private final InetSocketAddress student = new InetSocketAddress("10.0.0.7", 20825);

  @Test
  void keepsTheLastFiftyRequestsOldestFirst() {
    for (int i = 0; i < 60; i++) {
      feed.replied(feed.request("UDP", student, utf8("request " + i)), utf8("REQUEST " + i));
    }
    JsonArray latest = feed.latest();
    assertEquals(TrafficFeed.ENTRIES, latest.size());
    assertEquals("request 10", latest.getJsonObject(0).getString("request"));
    assertEquals("REQUEST 59", latest.getJsonObject(49).getString("reply"));
  }

  @Test
  void anEntrySaysWhoSentWhatHowMuchAndTheFirstFortyCharactersEachWay() {
    String text = "ß".repeat(30) + "<script>alert(1)</script>"; // 55 characters, 85 bytes
    String upper = "SS".repeat(30) + "<SCRIPT>ALERT(1)</SCRIPT>";
    TrafficFeed.Request request = feed.request("TCP", student, utf8(text));
    feed.replied(request, utf8(upper));

    JsonObject entry = feed.latest().getJsonObject(0);
    assertEquals("TCP", entry.getString("protocol"));
    assertEquals("10.0.0.7", entry.getString("host"));
    assertEquals(20825, entry.getInteger("port"));
    assertEquals(85, entry.getInteger("bytesIn"));
    assertEquals(85, entry.getInteger("bytesOut"));
    assertEquals("ß".repeat(30) + "<script>al", entry.getString("request"));
    assertEquals("SS".repeat(20), entry.getString("reply"));
    assertEquals(true, entry.getLong("replyMicros") >= 0);
  }

  @Test
  void bytesThatAreNotUtf8AreShownReplacedAndTheRequestIsCopiedAsItCame() {
    ByteBuf bytes =
        Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xFF, 'b', (byte) 0xE2, (byte) 0x82});
    TrafficFeed.Request request = feed.request("UDP", student, bytes);
    // a worker upper-casing in place would not change what the feed shows
    bytes.setByte(0, (byte) 'A');
    feed.replied(
        request,
        Unpooled.wrappedBuffer(new byte[] {'A', (byte) 0xFF, 'B', (byte) 0xE2, (byte) 0x82}));
    JsonObject entry = feed.latest().getJsonObject(0);
    assertEquals("a\uFFFDb\uFFFD", entry.getString("request"));
    assertEquals("A\uFFFDB\uFFFD", entry.getString("reply"));
  }

  private static ByteBuf utf8(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  @Test
  void anEmptyFeedIsEmpty() {
    assertEquals(0, feed.latest().size());
  }
}
