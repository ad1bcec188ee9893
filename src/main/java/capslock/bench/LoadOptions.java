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

  public enum Protocol {
    TCP,
    UDP
  }

  public LoadOptions {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be from 1 to 65535, got " + port);
    }
    if (connections < 1 || depth < 1) {
      throw new IllegalArgumentException("connections and depth must be at least 1");
    }
    if (size < 2
        || (protocol == Protocol.UDP && size > capslock.protocol.Protocol.MAX_DATAGRAM_BYTES)) {
      throw new IllegalArgumentException(
          "size must be from 2 to "
              + (protocol == Protocol.UDP
                  ? String.valueOf(capslock.protocol.Protocol.MAX_DATAGRAM_BYTES)
                  : "any")
              + " bytes");
    }
  }
}
