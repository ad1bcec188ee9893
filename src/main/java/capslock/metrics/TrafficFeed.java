package capslock.metrics;

import io.netty.buffer.ByteBuf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@link #ENTRIES} requests and their replies, for a teacher to show a class what its
 * students send ({@code http.showTraffic}, off by default: when off there is no feed at all, and
 * the endpoints pay one null check). A bounded ring, safe to record into from any event loop and to
 * read from another: one atomic increment and one array store per request.
 */
public final class TrafficFeed implements Shareable {

  /** How many requests the feed keeps. */
  public static final int ENTRIES = 50;

  /** How much of a request's and of a reply's text is shown. */
  public static final int CHARS = 40;

  /** Enough bytes for {@link #CHARS} characters of UTF-8 (4 bytes at most each). */
  private static final int HEAD_BYTES = CHARS * 4;

  /** One request answered; its texts are for display only (malformed UTF-8 shown as U+FFFD). */
  public record Entry(
      long seq,
      long timeMillis,
      String protocol,
      String host,
      int port,
      int bytesIn,
      int bytesOut,
      String request,
      String reply,
      long replyMicros) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("seq", seq)
          .put("time", timeMillis)
          .put("protocol", protocol)
          .put("host", host)
          .put("port", port)
          .put("bytesIn", bytesIn)
          .put("bytesOut", bytesOut)
          .put("request", request)
          .put("reply", reply)
          .put("replyMicros", replyMicros);
    }
  }

  /**
   * What is kept of a request until its reply is sent: its first bytes (copied, so a buffer reused
   * or changed later shows what came), its size, its source and when it came.
   */
  @SuppressWarnings("ArrayRecordComponent") // never compared: a copy of bytes to show
  public record Request(
      String protocol, String host, int port, int bytes, byte[] head, long receivedNanos) {}

  private final AtomicReferenceArray<Entry> ring = new AtomicReferenceArray<>(ENTRIES);
  private final AtomicLong recorded = new AtomicLong();

  /** Notes a request as it comes, to be passed to {@link #replied} with its reply. */
  public Request request(String protocol, InetSocketAddress source, ByteBuf bytes) {
    return new Request(
        protocol,
        source.getAddress().getHostAddress(),
        source.getPort(),
        bytes.readableBytes(),
        head(bytes),
        System.nanoTime());
  }

  /** Records a request whose reply has just been written (or sent). */
  public void replied(Request request, ByteBuf reply) {
    long micros = (System.nanoTime() - request.receivedNanos()) / 1_000;
    long seq = recorded.getAndIncrement();
    ring.set(
        (int) (seq % ENTRIES),
        new Entry(
            seq,
            System.currentTimeMillis(),
            request.protocol(),
            request.host(),
            request.port(),
            request.bytes(),
            reply.readableBytes(),
            text(request.head()),
            text(head(reply)),
            micros));
  }

  /** A copy of the first bytes, enough for {@link #CHARS} characters. */
  private static byte[] head(ByteBuf bytes) {
    byte[] head = new byte[Math.min(bytes.readableBytes(), HEAD_BYTES)];
    bytes.getBytes(bytes.readerIndex(), head);
    return head;
  }

  /** The requests kept, oldest first, as a JSON array of {@link Entry#toJson()}. */
  public JsonArray latest() {
    long last = recorded.get();
    JsonArray entries = new JsonArray();
    for (long seq = Math.max(0, last - ENTRIES); seq < last; seq++) {
      Entry entry = ring.get((int) (seq % ENTRIES));
      if (entry != null
          && entry.seq() == seq) { // else being overwritten by a newer one, or not yet stored
        entries.add(entry.toJson());
      }
    }
    return entries;
  }

  /**
   * The first {@link #CHARS} characters of {@code bytes} as UTF-8, each malformed sequence replaced
   * by U+FFFD.
   */
  static String text(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    String text;
    try {
      text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException cannotHappen) { // REPLACE never throws
      throw new IllegalStateException(cannotHappen);
    }
    int chars = text.codePointCount(0, text.length());
    return chars <= CHARS ? text : text.substring(0, text.offsetByCodePoints(0, CHARS));
  }
}
