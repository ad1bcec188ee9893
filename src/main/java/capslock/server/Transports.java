package capslock.server;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;

/**
 * Which network transport a Vert.x runs on, in words: io_uring where the kernel allows it, else
 * Java NIO.
 */
public final class Transports {

  private Transports() {}

  /** {@code io_uring}, another native transport's name, or {@code nio}. */
  public static String name(Vertx vertx) {
    Transport nativeTransport = Transport.nativeTransport();
    return vertx.isNativeTransportEnabled() && nativeTransport != null
        ? nativeTransport.name()
        : "nio";
  }

  /** The transport, and when it is NIO, why io_uring is not used: for the start-up log. */
  public static String describe(Vertx vertx) {
    String name = name(vertx);
    if (!name.equals("nio") || Transport.IO_URING == null) {
      return name;
    }
    Throwable why = Transport.IO_URING.unavailabilityCause();
    return "nio (io_uring is not available here: "
        + (why == null ? "not asked for" : firstLine(why))
        + ")";
  }

  private static String firstLine(Throwable why) {
    Throwable root = why;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage()).lines().findFirst().orElse(root.toString());
  }
}
