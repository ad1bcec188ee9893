package capslock.protocol;

/**
 * The facts of the uppercase protocol that the server, the clients and the load generator share.
 */
public final class Protocol {

  /** The TCP port of the lesson's server. */
  public static final int TCP_PORT = 10825;

  /** The UDP port of the lesson's server. */
  public static final int UDP_PORT = 11758;

  /** The largest UDP payload over IPv4: 65,535 less the 8-byte UDP and 20-byte IP headers. */
  public static final int MAX_DATAGRAM_BYTES = 65_507;

  /**
   * The most bytes of upper case per byte of text: Unicode's worst, ΐ, is 2 bytes and becomes 6.
   */
  public static final int MAX_GROWTH = 3;

  private Protocol() {}
}
