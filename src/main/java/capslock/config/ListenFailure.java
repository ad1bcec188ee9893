package capslock.config;

import capslock.protocol.Network;

/** Words a failure to bind a port as one sentence that names the port and the key to change. */
public final class ListenFailure {

  private ListenFailure() {}

  public static ConfigException of(String protocol, String host, int port, Throwable cause) {
    String key = protocol.toLowerCase(java.util.Locale.ROOT);
    String reason = String.valueOf(cause.getMessage());
    if (Network.isAddressInUse(cause)) {
      return new ConfigException(
          protocol
              + " port "
              + port
              + " is already in use on "
              + host
              + ": stop the program that holds it, or choose another "
              + key
              + ".port");
    }
    return new ConfigException(
        "cannot listen for "
            + protocol
            + " on "
            + host
            + ":"
            + port
            + ": "
            + reason
            + " (check "
            + key
            + ".host and "
            + key
            + ".port)");
  }
}
