package capslock.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.read.ListAppender;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class CompletionQueueOverflowsTest {

  /** Netty 4.2.18's words, as IoUringIoHandler logs them. */
  private static final String NETTY_FORMAT =
      "CompletionQueue overflow detected, consider increasing size: {} ";

  /** And as they reach logback: Netty's logger formats them itself, to say where they come from. */
  private static final String NETTY_LINE =
      "CompletionQueue overflow detected, consider increasing size: 4096 ";

  @Test
  void nettysOwnLoggerIsHeard() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    CompletionQueueOverflows filter = new CompletionQueueOverflows();
    filter.setContext(logging);
    filter.start();
    logging.addTurboFilter(filter);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    ch.qos.logback.classic.Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(lines);
    try {
      InternalLogger netty =
          InternalLoggerFactory.getInstance(CompletionQueueOverflows.NETTY_LOGGER);
      netty.warn(NETTY_FORMAT, 4096);
      netty.warn(NETTY_FORMAT, 4096);

      assertEquals(
          List.of(CompletionQueueOverflows.class.getName()),
          lines.list.stream().map(ILoggingEvent::getLoggerName).toList());
    } finally {
      root.detachAppender(lines);
      logging.getTurboFilterList().remove(filter);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"conf/logback.xml", "conf/logback-json.xml"})
  void aFloodOfOverflowWarningsIsOneLineWithTheServicesLogging(String configuration)
      throws JoranException {
    LoggerContext logging = configured(configuration);
    List<ILoggingEvent> lines = everyLineOf(logging);

    for (int i = 0; i < 100; i++) {
      logging.getLogger(CompletionQueueOverflows.NETTY_LOGGER).warn(NETTY_LINE);
    }
    logging.getLogger(CompletionQueueOverflows.NETTY_LOGGER).warn("another warning");

    assertEquals(
        List.of(
            "io_uring's completion queue overflowed 1 time(s) since this was last said (said at"
                + " most once a minute), as many connections closed at once; the kernel kept the"
                + " completions that did not fit, nothing was lost (-Dio.netty.iouring.cqSize makes"
                + " the queue larger: 4,096 entries unless set)",
            "another warning"),
        messages(lines));
    assertEquals(Level.WARN, lines.get(0).getLevel());
    logging.stop();
  }

  @Test
  void theOverflowsAreCountedAndSaidOnceAMinute() {
    AtomicLong now = new AtomicLong();
    LoggerContext logging = new LoggerContext();
    CompletionQueueOverflows filter = new CompletionQueueOverflows(now::get);
    filter.setContext(logging);
    filter.start();
    logging.addTurboFilter(filter);
    List<ILoggingEvent> lines = everyLineOf(logging);
    var netty = logging.getLogger(CompletionQueueOverflows.NETTY_LOGGER);

    netty.warn(NETTY_LINE); // said at once
    for (int i = 0; i < 41; i++) {
      netty.warn(NETTY_LINE);
    }
    now.addAndGet(TimeUnit.SECONDS.toNanos(59));
    netty.warn(NETTY_LINE); // 42 unsaid
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    netty.warn(NETTY_FORMAT, 8192); // as logback hands it on; a minute since the first: 43 said

    assertEquals(
        List.of(
            "io_uring's completion queue overflowed 1 time(s)",
            "io_uring's completion queue overflowed 43 time(s)"),
        messages(lines).stream().map(line -> line.substring(0, line.indexOf(" since"))).toList());
    assertEquals(
        List.of(CompletionQueueOverflows.class.getName(), CompletionQueueOverflows.class.getName()),
        lines.stream().map(ILoggingEvent::getLoggerName).toList());
  }

  @Test
  void nettysOtherWarningsAndOtherLoggersPassUntouched() {
    LoggerContext logging = new LoggerContext();
    CompletionQueueOverflows filter = new CompletionQueueOverflows();
    filter.setContext(logging);
    filter.start();
    logging.addTurboFilter(filter);
    List<ILoggingEvent> lines = everyLineOf(logging);

    logging.getLogger(CompletionQueueOverflows.NETTY_LOGGER).warn("Something else: {}", 1);
    logging.getLogger(CompletionQueueOverflows.NETTY_LOGGER).info(NETTY_LINE);
    logging.getLogger("capslock.server.TcpEndpoint").warn(NETTY_LINE);

    assertEquals(
        List.of(
            "Something else: 1",
            "CompletionQueue overflow detected, consider increasing size: 4096 ",
            "CompletionQueue overflow detected, consider increasing size: 4096 "),
        messages(lines));
  }

  private static List<String> messages(List<ILoggingEvent> lines) {
    return lines.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static LoggerContext configured(String file) throws JoranException {
    LoggerContext logging = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(logging);
    configurator.doConfigure(file);
    logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender("CONSOLE");
    return logging;
  }

  /** Every line logged in {@code logging} from now on, whatever its configuration's appenders. */
  private static List<ILoggingEvent> everyLineOf(LoggerContext logging) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(logging);
    appender.start();
    ch.qos.logback.classic.Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    return appender.list;
  }
}
