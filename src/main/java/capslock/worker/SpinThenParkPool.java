package capslock.worker;

import io.vertx.core.spi.ExecutorServiceFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's worker threads (the uppercase workers run on them), made to hand a task over with as few
 * wake-ups as they can. Handing a task to a sleeping thread wakes it, and on a small virtual
 * machine that costs more than upper-casing a line does. In a ping-pong, or under steady load of
 * short lines, the next task comes within a round trip of the last reply: so a thread that has just
 * done a short task keeps polling for up to {@code capslock.worker.spinMicros} µs (default 100, 0
 * for never), yielding its core to any thread that wants it meanwhile, and only then sleeps; on a
 * machine whose cores are all wanted, a yield comes back late, and the threads spin less. After a
 * long task (a big text) it sleeps at once, and so it does on a machine with one core: there the
 * event loop needs the core more than a worker needs to be quick. How the threads take turns is
 * {@link SpinThenParkExecutor}'s (docs/PERFORMANCE.md has what each rule bought).
 *
 * <p>Found by Vert.x through {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}.
 */
public final class SpinThenParkPool implements ExecutorServiceFactory {

  /** The system property that sets how long a thread looks for work before it sleeps, in µs. */
  public static final String SPIN_MICROS_PROPERTY = "capslock.worker.spinMicros";

  private static final long DEFAULT_SPIN_MICROS = 100;

  /**
   * A task that took longer than this is not followed by a spin: a ping-pong line takes a few µs, a
   * few KiB of mixed text more (spinning after those cost tcp-mixed a tenth when measured).
   */
  private static final long SHORT_TASK_MICROS = 20;

  /** A yield that took longer than this gave the core to another thread. */
  private static final long LATE_YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  private static final Logger log = LoggerFactory.getLogger(SpinThenParkPool.class);

  private final long spinNanos;
  private final long shortTaskNanos;
  private final BooleanSupplier yieldAndTellIfLate;

  /** As Vert.x makes it: the spin the system property sets, none on a single core. */
  public SpinThenParkPool() {
    this(
        spinMicros(
            Runtime.getRuntime().availableProcessors(), System.getProperty(SPIN_MICROS_PROPERTY)),
        SHORT_TASK_MICROS);
  }

  SpinThenParkPool(long spinMicros, long shortTaskMicros) {
    this(spinMicros, shortTaskMicros, SpinThenParkPool::yieldAndTellIfLate);
  }

  /**
   * @param yieldAndTellIfLate how a spinning thread offers its core to other threads, and learns
   *     whether one took it ({@link #yieldAndTellIfLate()}; a test's own)
   */
  SpinThenParkPool(long spinMicros, long shortTaskMicros, BooleanSupplier yieldAndTellIfLate) {
    this.spinNanos = TimeUnit.MICROSECONDS.toNanos(spinMicros);
    this.shortTaskNanos = TimeUnit.MICROSECONDS.toNanos(shortTaskMicros);
    this.yieldAndTellIfLate = yieldAndTellIfLate;
  }

  /**
   * Yields the core; true when another thread took it: a yield with no one waiting for the core
   * comes back within microseconds, one that lets another thread run comes back after its time
   * slice (on the team's VM, under the kit's loads on both cores, mostly over 200 µs). A thread
   * preempted, or stopped at a safepoint, in the meantime looks the same: a few spins skipped.
   */
  static boolean yieldAndTellIfLate() {
    long before = System.nanoTime();
    Thread.yield();
    return System.nanoTime() - before > LATE_YIELD_NANOS;
  }

  /** How long to spin, in µs: none on one core; else the property's value, or 100. */
  static long spinMicros(int cores, String property) {
    if (cores <= 1) {
      return 0;
    }
    if (property == null) {
      return DEFAULT_SPIN_MICROS;
    }
    try {
      return Math.max(0, Long.parseLong(property.trim()));
    } catch (NumberFormatException e) {
      log.warn(
          "{}={} is not a number of microseconds: worker threads spin {} µs",
          SPIN_MICROS_PROPERTY,
          property,
          DEFAULT_SPIN_MICROS);
      return DEFAULT_SPIN_MICROS;
    }
  }

  @Override
  public ExecutorService createExecutor(
      ThreadFactory threadFactory, Integer concurrency, Integer maxConcurrency) {
    return new SpinThenParkExecutor(
        threadFactory, maxConcurrency, spinNanos, shortTaskNanos, yieldAndTellIfLate);
  }
}
