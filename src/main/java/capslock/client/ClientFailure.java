package capslock.client;

/** A failure the client explains in one line and ends on, with exit status 1. */
public final class ClientFailure extends RuntimeException {

  public ClientFailure(String message) {
    super(message, null, false, false);
  }

  static ClientFailure localPortInUse(int localPort) {
    return new ClientFailure(
        "Local port " + localPort + " is already in use: choose another --local-port");
  }
}
