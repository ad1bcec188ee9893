package capslock.limits;

/**
 * Two token buckets in one, for a UDP source: datagrams and bytes, each refilled at its rate per
 * second and holding at most one second's worth (the burst). A datagram passes when both have room
 * for it. A source's datagrams may reach several event loops (the launcher's {@code -instances}),
 * so taking is locked: one lock per source, hardly ever contended.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final double datagramsPerSecond;
  private final double bytesPerSecond;
  private double datagrams;
  private double bytes;
  private long refilledAt;

  /** A full bucket: a new source may burst one second's worth at once. */
  TokenBucket(double datagramsPerSecond, double bytesPerSecond, long nowNanos) {
    this.datagramsPerSecond = datagramsPerSecond;
    this.bytesPerSecond = bytesPerSecond;
    this.datagrams = datagramsPerSecond;
    this.bytes = bytesPerSecond;
    this.refilledAt = nowNanos;
  }

  /**
   * Takes one datagram of {@code size} bytes if both buckets have room; otherwise takes nothing.
   */
  synchronized boolean tryTake(int size, long nowNanos) {
    double seconds = (nowNanos - refilledAt) / NANOS_PER_SECOND;
    refilledAt = nowNanos;
    datagrams = Math.min(datagramsPerSecond, datagrams + seconds * datagramsPerSecond);
    bytes = Math.min(bytesPerSecond, bytes + seconds * bytesPerSecond);
    if (datagrams < 1 || bytes < size) {
      return false;
    }
    datagrams -= 1;
    bytes -= size;
    return true;
  }
}
