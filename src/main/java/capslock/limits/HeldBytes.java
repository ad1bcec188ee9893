package capslock.limits;

import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the TCP connections of a node hold in memory, pieces not yet answered and replies not yet
 * sent, against one bound for the node ({@code tcp.maxPendingBytes}). Each connection has a bound
 * of its own, but a thousand clients that send and never read would hold a thousand times it: over
 * the node's bound, a connection that holds anything stops reading until what it holds has gone.
 * One per node, shared by its endpoints (the launcher's {@code -instances}), from their event
 * loops.
 */
public final class HeldBytes implements Shareable {

  private final long max;
  private final AtomicLong held = new AtomicLong();

  public HeldBytes(long max) {
    this.max = max;
  }

  /** {@code bytes} more held (fewer, when negative). */
  public void add(long bytes) {
    held.addAndGet(bytes);
  }

  /** Whether the node holds its bound or more. */
  public boolean full() {
    return held.get() >= max;
  }

  /**
   * Whether the node holds half its bound or more: near it, when a thousand paused connections may
   * all read again at once.
   */
  public boolean pressed() {
    return held.get() >= max / 2;
  }

  public long held() {
    return held.get();
  }
}
