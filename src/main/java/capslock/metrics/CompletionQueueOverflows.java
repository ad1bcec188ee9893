package capslock.metrics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Netty's io_uring loop warns each time it finds its completion queue overflowed, which a flood of
 * connections closing at once brings hundreds of times a second. The kernel keeps what did not fit
 * until it is read, so nothing is lost: this logging filter (in {@code conf/logback.xml}) takes
 * those warnings and says them once a minute, with how many there were.
 */
public final class CompletionQueueOverflows extends TurboFilter {

  static final String NETTY_LOGGER = "io.netty.channel.uring.IoUringIoHandler";
  static final String NETTY_WARNING = "CompletionQueue overflow";

  private final Occurrences overflows;

  public CompletionQueueOverflows() {
    this(System::nanoTime);
  }

  CompletionQueueOverflows(LongSupplier clock) {
    this.overflows = new Occurrences(clock);
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN
        || format == null
        || !format.startsWith(NETTY_WARNING)
        || !NETTY_LOGGER.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    synchronized (overflows) { // every event loop has a ring of its own
      overflows.countOne(
          times ->
              ((LoggerContext) getContext())
                  .getLogger(CompletionQueueOverflows.class)
                  .warn(
                      "io_uring's completion queue overflowed {} time(s) since this was last said"
                          + " (said at most once a minute), as many connections closed at once;"
                          + " the kernel kept the completions that did not fit, nothing was lost"
                          + " (-Dio.netty.iouring.cqSize makes the queue larger: 4,096 entries"
                          + " unless set)",
                      times));
    }
    return FilterReply.DENY;
  }
}
