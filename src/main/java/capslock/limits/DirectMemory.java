package capslock.limits;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * The direct memory of this JVM (-XX:MaxDirectMemorySize), where the network buffers live, as the
 * JVM counts it: what the node's counts of bytes cannot see, the pooled allocator's chunks kept by
 * the few buffers still in them. Five thousand clients that flooded and never read pinned 125 MB of
 * chunks for 30 MB the counts held, and an allocation then failed on an event loop, which died.
 */
public final class DirectMemory {

  private final LongSupplier inUse;
  private final long max;

  /** {@code inUse}: how many bytes are in use now, of {@code max}. */
  public DirectMemory(LongSupplier inUse, long max) {
    this.inUse = inUse;
    this.max = max;
  }

  /**
   * This JVM's: its "direct" buffer pool, and what Netty reserves itself when it makes its buffers
   * without the JDK (then it counts them, and the JDK does not), against the most it may reserve.
   */
  public static DirectMemory ofThisJvm() {
    BufferPoolMXBean direct =
        ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct"))
            .findFirst()
            .orElseThrow();
    return new DirectMemory(
        () -> direct.getMemoryUsed() + Math.max(0, PlatformDependent.usedDirectMemory()),
        PlatformDependent.maxDirectMemory());
  }

  /** Whether half of it is in use. */
  public boolean halfUsed() {
    return inUse.getAsLong() >= max / 2;
  }

  /** Whether three quarters of it are in use: the last quarter is left for the work in hand. */
  public boolean nearlyFull() {
    return inUse.getAsLong() >= max / 4 * 3;
  }

  public long inUse() {
    return inUse.getAsLong();
  }

  public long max() {
    return max;
  }
}
