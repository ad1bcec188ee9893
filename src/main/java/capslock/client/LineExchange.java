package capslock.client;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** One connection (TCP) or socket (UDP) to the server, over which lines are sent and answered. */
public interface LineExchange extends AutoCloseable {

  /** The local port the client is bound to. */
  int localPort();

  /**
   * The server's reply, without its line ending, as the bytes that came; and the round trip: from
   * the moment the line went to the socket to the moment the whole reply came back, both taken on
   * the socket's event loop, as the lesson's client takes them around its send and its receive.
   */
  record Reply(Buffer bytes, long roundTripNanos) {}

  /** The longest line it sends, in bytes: a longer one is not read into memory, nor sent. */
  int longestLine();

  /** What {@link #longestLine} is, in words: "the largest datagram". */
  String longestLineIs();

  /** Sends {@code line} (its bytes as read, without its newline) and gives the server's reply. */
  Future<Reply> send(Buffer line);

  /**
   * Whether the client can go on with the next line after a reply that never came: yes for UDP,
   * where every datagram stands alone; no for a TCP stream, whose late reply would be taken for the
   * next one.
   */
  boolean survivesTimeout();

  /** Closes the connection (or socket); the future completes once it is closed. From any thread. */
  Future<Void> closeAsync();

  /**
   * Closes, and waits until it is closed: from the client's own thread, never a Vert.x thread
   * (where {@link #closeAsync} is the way).
   */
  @Override
  default void close() {
    closeAsync().await();
  }
}
