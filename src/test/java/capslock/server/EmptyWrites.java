package capslock.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Counts the writes of no bytes that Netty's io_uring event loops complete, from their trace of
 * each completion ("completed(ring 123): WRITEV(registrationId=134, res=0)"), while it is open. The
 * trace is kept from every other appender.
 */
final class EmptyWrites extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private static final String LOGGER = "io.netty.channel.uring.IoUringIoHandler";

  private final Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);
  private final Level levelBefore = logger.getLevel();
  private final AtomicLong count = new AtomicLong();

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

  long count() {
    return count.get();
  }

  @Override
  protected void append(ILoggingEvent event) {
    String completion = event.getFormattedMessage(); // Netty formats it: there are no arguments
    if (completion.contains(": WRITEV(") && completion.endsWith(", res=0)")) {
      count.incrementAndGet();
    }
  }

  @Override
  public void close() {
    logger.setLevel(levelBefore);
    logger.setAdditive(true);
    logger.detachAppender(this);
    stop();
  }
}
