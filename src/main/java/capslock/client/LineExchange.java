package capslock.client;

import io.vertx.core.Future;

/** One connection (TCP) or socket (UDP) to the server, over which lines are sent and answered. */
public interface LineExchange extends AutoCloseable {

  /** The local port the client is bound to. */
  int localPort();

  /** Sends {@code line} and gives the server's reply, without its line ending. */
  Future<String> send(String line);

  /**
   * Whether the client can go on with the next line after a reply that never came:
   * yes for UDP, where every datagram stands alone; no for a TCP stream, whose late reply
   * would be taken for the next one.
   */
  boolean survivesTimeout();

  @Override
  void close();
}
