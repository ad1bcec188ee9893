package capslock.bench;

import java.time.Duration;

/**
 * What load to put on a server: {@code connections} TCP connections (or UDP sockets), each keeping
 * {@code depth} messages of {@code size} bytes in flight, for {@code warmup} (not measured) then
 * {@code duration} (measured).
 */
public record LoadOptions(
    Protocol protocol,
    String host,
    int port,
    int connections,
    int depth,
    int size,
    Duration warmup,
    Duration duration) {

  /**
   * The largest TCP message: 16 MiB, which the server takes in pieces; larger ones would be built
   * in memory at once for every connection and depth.
   */
  public static final int MAX_TCP_SIZE = 16 * 1024 * 1024;

  public enum Protocol {
    TCP,
    UDP
  }

  public LoadOptions {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be from 1 to 65535, got " + port);
    }
    if (duration.isNegative() || duration.isZero() || warmup.isNegative()) {
      throw new IllegalArgumentException(
          "duration must be at least 1 second and warmup 0 or more, got "
              + duration.toSeconds()
              + " and "
              + warmup.toSeconds());
    }
    if (connections < 1 || depth < 1) {
      throw new IllegalArgumentException("connections and depth must be at least 1");
    }
    int maxSize =
        protocol == Protocol.UDP ? capslock.protocol.Protocol.MAX_DATAGRAM_BYTES : MAX_TCP_SIZE;
    if (size < 2 || size > maxSize) {
      throw new IllegalArgumentException("size must be from 2 to " + maxSize + " bytes");
    }
  }
}
