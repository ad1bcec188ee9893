package capslock.limits;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The direct memory of this JVM (-XX:MaxDirectMemorySize), where the network buffers live, as the
 * JVM counts it: what the node's counts of bytes cannot see, the pooled allocator's chunks kept by
 * the few buffers still in them. Five thousand clients that flooded and never read pinned 125 MB of
 * chunks for 30 MB the counts held, and an allocation then failed on an event loop, which died.
 *
 * <p>The pool keeps chunks after such a flood, nearly empty, for its next buffers: 77-89 MB of the
 * 128 MB at rest with 4 MiB chunks, 30-43 MB with the 512 KiB ones capslock sets. Counted as
 * pressure they held the node full for as long as it ran, and tcp-big at a sixteenth of its rate.
 * So what is in use presses the node from a quarter only while buffers hold an eighth of it or
 * more; at a half it presses whatever they hold. With another allocator than Netty's pooled one,
 * what buffers hold is not known, and all that is in use counts.
 */
public final class DirectMemory {

  /** How long a count of what buffers hold is kept: counting walks the pool's chunks. */
  static final long KEPT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final LongSupplier inUse;
  private final LongSupplier held;
  private final long max;
  private final LongSupplier clock;
  private volatile Count last;

  private record Count(long atNanos, long inUse, long held) {}

  /** {@code inUse}: how many bytes are in use now, of {@code max}, all of them held by buffers. */
  public DirectMemory(LongSupplier inUse, long max) {
    this(inUse, inUse, max, System::nanoTime);
  }

  /**
   * {@code held}: how many of the bytes in use buffers hold (the rest the pool keeps free), counted
   * at most once a millisecond of {@code clock} (nanoseconds, as {@link System#nanoTime()}), and at
   * once when what is in use has moved by a thirty-second of {@code max} since.
   */
  DirectMemory(LongSupplier inUse, LongSupplier held, long max, LongSupplier clock) {
    this.inUse = inUse;
    this.held = held;
    this.max = max;
    this.clock = clock;
    this.last = new Count(clock.getAsLong() - KEPT_NANOS, 0, 0); // none yet: the first is counted
  }

  /**
   * This JVM's: its "direct" buffer pool, against the most it may reserve, and what {@code pool}'s
   * buffers hold of it. Netty makes its buffers with the JDK, which counts them there, unless it
   * may make them without (then only Netty counts them, and they are added). Netty 4.2 counts the
   * JDK's buffers too: adding its count always, as this once did, counted each of them twice.
   */
  public static DirectMemory ofThisJvm(ByteBufAllocator pool) {
    BufferPoolMXBean direct =
        ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(buffers -> buffers.getName().equals("direct"))
            .findFirst()
            .orElseThrow();
    LongSupplier nettysOwn =
        PlatformDependent.useDirectBufferNoCleaner()
            ? () -> Math.max(0, PlatformDependent.usedDirectMemory())
            : () -> 0;
    LongSupplier inUse = () -> direct.getMemoryUsed() + nettysOwn.getAsLong();
    LongSupplier held =
        pool instanceof PooledByteBufAllocator pooled ? pooled::pinnedDirectMemory : inUse;
    return new DirectMemory(inUse, held, PlatformDependent.maxDirectMemory(), System::nanoTime);
  }

  /** Whether a quarter of it is in use, an eighth of that held by buffers, or half of it. */
  public boolean pressing() {
    return inUseReaches(max / 2, max / 4);
  }

  /**
   * Whether three eighths of it are in use, an eighth of that held by buffers, or three quarters:
   * the rest is for the work in hand. At a half and three quarters whatever buffers held, as first
   * set, a test of 1,250 clients that flood with 32 MB of direct memory (FloodIT) ran it out.
   */
  public boolean nearlyFull() {
    return inUseReaches(max / 4 * 3, max / 8 * 3);
  }

  public long inUse() {
    return inUse.getAsLong();
  }

  public long max() {
    return max;
  }

  /** Whether what is in use reaches {@code always}, or {@code whileHeld} with an eighth held. */
  private boolean inUseReaches(long always, long whileHeld) {
    long now = inUse.getAsLong();
    return now >= always || now >= whileHeld && heldByBuffers(now);
  }

  private boolean heldByBuffers(long inUseNow) {
    Count count = last;
    long at = clock.getAsLong();
    if (at - count.atNanos() >= KEPT_NANOS || Math.abs(inUseNow - count.inUse()) >= max / 32) {
      count = new Count(at, inUseNow, held.getAsLong());
      last = count;
    }
    return count.held() >= inUseNow / 8;
  }
}
