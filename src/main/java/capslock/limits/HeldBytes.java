package capslock.limits;

import io.vertx.core.shareddata.Shareable;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the TCP connections of a node hold in memory, pieces not yet answered and replies not yet
 * sent, against one bound for the node ({@code tcp.maxPendingBytes}). Each connection has a bound
 * of its own, but a thousand clients that send and never read would hold a thousand times it: over
 * the node's bound, a connection that holds anything stops reading until what it holds has gone.
 * One per node, shared by its endpoints (the launcher's {@code -instances}), from their event
 * loops.
 *
 * <p>The JVM's direct memory counts too, whatever the node holds by its count: it is full when
 * three eighths of it are in use, and pressed at a quarter, while buffers hold an eighth of that or
 * more; full at three quarters and pressed at half in any case ({@link DirectMemory}).
 */
public final class HeldBytes implements Shareable {

  private final long max;
  private final DirectMemory memory;
  private final AtomicLong held = new AtomicLong();

  public HeldBytes(long max, DirectMemory memory) {
    this.max = max;
    this.memory = memory;
  }

  /** {@code bytes} more held (fewer, when negative). */
  public void add(long bytes) {
    held.addAndGet(bytes);
  }

  /** Whether the node holds its bound or more, or its direct memory is nearly full. */
  public boolean full() {
    return held.get() >= max || memory.nearlyFull();
  }

  /**
   * Whether the node holds half its bound or more, or its direct memory presses ({@link
   * DirectMemory#pressing}): near full, when a thousand paused connections may all read again at
   * once.
   */
  public boolean pressed() {
    return held.get() >= max / 2 || memory.pressing();
  }

  public long held() {
    return held.get();
  }

  /** What it holds, and the direct memory in use, in words: for a log line. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "it held %,d bytes (tcp.maxPendingBytes is %,d), and %,d of its %,d bytes of direct memory"
            + " were in use",
        held.get(),
        max,
        memory.inUse(),
        memory.max());
  }
}
