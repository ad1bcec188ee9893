package capslock.limits;

import java.util.HashMap;
import java.util.Map;

/**
 * How much work may wait for the uppercase workers at once: a number of requests and of bytes, in
 * all and from any one source, which may hold at most a quarter of each. Over a bound, a request is
 * turned away before any work is done on it, so memory stays bounded whatever clients send, and a
 * flood from one source leaves room for the others. Used from one event loop; what it tracks is
 * bounded by what it admits.
 *
 * @param <S> what tells sources apart (for UDP, the source address and port)
 */
public final class Backlog<S> {

  /** The share of each bound that one source may hold. */
  static final int SHARE_DIVISOR = 4;

  private final int maxRequests;
  private final long maxBytes;
  private final Map<S, Share> shares = new HashMap<>();
  private int requests;
  private long bytes;

  /** What one source has waiting. */
  private static final class Share {
    int requests;
    long bytes;
  }

  public Backlog(int maxRequests, long maxBytes) {
    this.maxRequests = maxRequests;
    this.maxBytes = maxBytes;
  }

  /**
   * Takes a request of {@code size} bytes from {@code source}, if it is within the bounds; if so,
   * {@link #done} must follow.
   */
  public boolean admit(S source, int size) {
    Share share = shares.get(source);
    int sourceRequests = share == null ? 0 : share.requests;
    long sourceBytes = share == null ? 0 : share.bytes;
    if (requests + 1 > maxRequests
        || bytes + size > maxBytes
        || (sourceRequests + 1) * SHARE_DIVISOR > maxRequests
        || (sourceBytes + size) * SHARE_DIVISOR > maxBytes) {
      return false;
    }
    if (share == null) {
      share = new Share();
      shares.put(source, share);
    }
    share.requests++;
    share.bytes += size;
    requests++;
    bytes += size;
    return true;
  }

  /**
   * A request admitted from {@code source} with {@code size} bytes has been answered (or given up).
   */
  public void done(S source, int size) {
    Share share = shares.get(source);
    if (share == null) {
      throw new IllegalStateException("nothing admitted from " + source);
    }
    requests--;
    bytes -= size;
    if (--share.requests == 0) {
      shares.remove(source);
    } else {
      share.bytes -= size;
    }
  }

  /** Requests waiting now. */
  public int requests() {
    return requests;
  }

  /** Bytes waiting now. */
  public long bytes() {
    return bytes;
  }

  /** Sources with something waiting now. */
  int sources() {
    return shares.size();
  }
}
