package capslock.worker;

/**
 * What the way to the workers tells whoever counts (the metrics); called on the endpoints' event
 * loop.
 */
public interface UppercaseEvents {

  /**
   * One request to the workers answered after {@code nanos}, retries and local upper-casing
   * included.
   */
  void replied(long nanos);

  /** A request sent again after a try failed. */
  void retried();

  /** Pieces upper-cased by the endpoints' node because no worker answered. */
  void upperCasedLocally(int pieces);
}
