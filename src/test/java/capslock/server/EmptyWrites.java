package capslock.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Counts the writes that Netty's io_uring event loops complete, and those of no bytes, from their
 * trace of each completion ("completed(ring 123): WRITEV(registrationId=134, res=0)"), while it is
 * open. That logger's events are kept from every other appender meanwhile, its warnings too.
 */
final class EmptyWrites extends UnsynchronizedAppenderBase<ILoggingEvent> implements AutoCloseable {

  private static final String LOGGER = "io.netty.channel.uring.IoUringIoHandler";

  private final Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);
  private final Level levelBefore = logger.getLevel();
  private final boolean additiveBefore = logger.isAdditive();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong empty = new AtomicLong();

  private EmptyWrites() {}

  static EmptyWrites watch() {
    EmptyWrites watch = new EmptyWrites();
    watch.setContext(watch.logger.getLoggerContext());
    watch.start();
    watch.logger.addAppender(watch);
    watch.logger.setAdditive(false);
    watch.logger.setLevel(Level.TRACE);
    return watch;
  }

  /** Writes completed, of any length: none would mean the trace was not seen. */
  long writes() {
    return writes.get();
  }

  /** Writes completed with no bytes written. */
  long empty() {
    return empty.get();
  }

  @Override
  protected void append(ILoggingEvent event) {
    String completion = event.getFormattedMessage(); // Netty formats it: there are no arguments
    if (completion.contains(": WRITEV(")) {
      writes.incrementAndGet();
      if (completion.endsWith(", res=0)")) {
        empty.incrementAndGet();
      }
    }
  }

  @Override
  public void close() {
    logger.setLevel(levelBefore);
    logger.setAdditive(additiveBefore);
    logger.detachAppender(this);
    stop();
  }
}
