package capslock.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The two questions about the network that several parts ask, answered in one place. */
public final class Network {

  private Network() {}

  /**
   * Whether {@code failure} says that a port is already taken (Java's BindException, or a native
   * transport's error).
   */
  public static boolean isAddressInUse(Throwable failure) {
    return String.valueOf(failure.getMessage()).contains("Address already in use");
  }

  /** Whether {@code address} is on this machine's loopback: 127.0.0.0/8 or ::1. */
  public static boolean isLoopback(InetAddress address) {
    return address.isLoopbackAddress();
  }

  /**
   * Whether a host as configured ({@code localhost}, an address, either with {@code :port}; IPv6 in
   * brackets) is on the loopback. A name other than {@code localhost} is never looked up: it is
   * taken as not loopback.
   */
  public static boolean isLoopback(String hostAndPort) {
    String host =
        hostAndPort.startsWith("[")
            ? hostAndPort.substring(1, Math.max(1, hostAndPort.indexOf(']')))
            : hostAndPort.chars().filter(c -> c == ':').count() == 1
                ? hostAndPort.substring(0, hostAndPort.indexOf(':'))
                : hostAndPort;
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // a name: not looked up here
    }
    try {
      return isLoopback(InetAddress.getByName(host)); // a literal address: parsed, not looked up
    } catch (UnknownHostException notAnAddress) {
      return false;
    }
  }
}
