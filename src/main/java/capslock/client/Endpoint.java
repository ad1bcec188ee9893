package capslock.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Where a client talks to and how: the server's address, the local port to bind first (0: any free
 * one, as the lesson's clients do with 20825 and 21758), and how long to wait for a reply.
 */
public record Endpoint(String host, int port, int localPort, Duration timeout) {

  /**
   * The server's address, looked up at once: an unknown host ends the client straight away rather
   * than after connection retries.
   */
  public String resolvedAddress() {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ClientFailure("Unknown host: " + host);
    }
  }

  @Override
  public String toString() { // an IPv6 address in brackets, so that its port stands apart
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
