package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import capslock.limits.HeldBytes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lesson's TCP client sends a line with one {@code send()} and reads the reply with one {@code
 * recv(2048)}. TCP is a stream and promises no such thing, but the server can: a line written at
 * once is read at once and answered with one write, so the client gets it whole.
 */
@ExtendWith(VertxExtension.class)
class LessonClientTest {

  /** 1,500 bytes of real text ending with the newline, as a student might type or paste. */
  private static final String LINE = line(1500);

  @Test
  void aLineSentWithOneWriteComesBackInOneReadOnEachOfAHundredNewConnections(Vertx vertx)
      throws Exception {
    int port = TestServer.start(vertx).await().tcpPort();
    byte[] line = LINE.getBytes(StandardCharsets.UTF_8);
    byte[] expected = LINE.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 100; i++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        assertEquals(expected.length, sendAndReadOnce(socket, line, expected), "connection " + i);
      }
    }
  }

  @Test
  void soDoesItOnAConnectionThatHasSentShortLinesBefore(Vertx vertx) throws Exception {
    int port = TestServer.start(vertx).await().tcpPort();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      for (int i = 0; i < 20; i++) {
        byte[] shortLine = ("short " + i + "\n").getBytes(StandardCharsets.UTF_8);
        sendAndReadOnce(socket, shortLine, ("SHORT " + i + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] line = LINE.getBytes(StandardCharsets.UTF_8);
        byte[] expected = LINE.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        assertEquals(expected.length, sendAndReadOnce(socket, line, expected), "long line " + i);
      }
    }
  }

  /**
   * The same for the longest piece answered with one write (16 KiB), while other clients make the
   * node hold half its bound (tcp.maxPendingBytes), when reads are made small, and after short
   * lines have made the connection's reads small too.
   */
  @Test
  void soDoesTheLongestWhileTheNodeHoldsHalfItsBound(Vertx vertx) throws Exception {
    long bound = 1024 * 1024;
    int port =
        TestServer.start(
                vertx, new JsonObject().put("tcp", new JsonObject().put("maxPendingBytes", bound)))
            .await()
            .tcpPort();
    // the node's count (MainVerticle shares it under "TCP held bytes of " its deployment)
    HeldBytes held =
        vertx.sharedData().<String, Shareable>getLocalMap("capslock").entrySet().stream()
            .filter(shared -> shared.getKey().startsWith("TCP held bytes"))
            .map(shared -> (HeldBytes) shared.getValue())
            .findFirst()
            .orElseThrow();
    held.add(bound / 2); // as clients that never read would
    String longest = line(16 * 1024);
    byte[] line = longest.getBytes(StandardCharsets.UTF_8);
    byte[] expected = longest.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 100; i++) {
          byte[] shortLine = ("short " + i + "\n").getBytes(StandardCharsets.UTF_8);
          sendAndReadOnce(
              socket, shortLine, ("SHORT " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(expected.length, sendAndReadOnce(socket, line, expected), "round " + round);
      }
    }
  }

  private static String line(int bytes) {
    StringBuilder line = new StringBuilder();
    while (utf8Length(line + "straße 한국어 ") < bytes - 1) {
      line.append("straße 한국어 ");
    }
    while (utf8Length(line) < bytes - 1) {
      line.append('x');
    }
    return line.append('\n').toString();
  }

  private static int utf8Length(CharSequence text) {
    return text.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Writes {@code request} at once, reads once into 2,048 bytes (or room for twice the reply),
   * checks what came is the start of {@code expected}.
   */
  private static int sendAndReadOnce(Socket socket, byte[] request, byte[] expected)
      throws IOException {
    socket.getOutputStream().write(request);
    byte[] buffer = new byte[Math.max(2048, 2 * expected.length)];
    int read = socket.getInputStream().read(buffer);
    assertEquals(
        new String(expected, 0, Math.min(read, expected.length), StandardCharsets.UTF_8),
        new String(buffer, 0, read, StandardCharsets.UTF_8));
    return read;
  }
}
