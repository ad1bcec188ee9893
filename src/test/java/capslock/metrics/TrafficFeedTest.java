package capslock.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

/** The dashboard's feed of the last requests (http.showTraffic). */
class TrafficFeedTest {

  private final TrafficFeed feed = new TrafficFeed();
  private final SocketAddress student = SocketAddress.inetSocketAddress(20825, "10.0.0.7");

  @Test
  void keepsTheLastFiftyRequestsOldestFirst() {
    for (int i = 0; i < 60; i++) {
      feed.replied(feed.request("UDP", student, Buffer.buffer("request " + i)), Buffer.buffer("REQUEST " + i));
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
    TrafficFeed.Request request = feed.request("TCP", student, Buffer.buffer(text));
    feed.replied(request, Buffer.buffer(upper));

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
    Buffer bytes = Buffer.buffer(new byte[] {'a', (byte) 0xFF, 'b', (byte) 0xE2, (byte) 0x82});
    TrafficFeed.Request request = feed.request("UDP", student, bytes);
    bytes.setByte(0, (byte) 'A'); // a worker upper-casing in place would not change what the feed shows
    feed.replied(request, Buffer.buffer(new byte[] {'A', (byte) 0xFF, 'B', (byte) 0xE2, (byte) 0x82}));
    JsonObject entry = feed.latest().getJsonObject(0);
    assertEquals("a\uFFFDb\uFFFD", entry.getString("request"));
    assertEquals("A\uFFFDB\uFFFD", entry.getString("reply"));
  }

  @Test
  void anEmptyFeedIsEmpty() {
    assertEquals(0, feed.latest().size());
  }
}
