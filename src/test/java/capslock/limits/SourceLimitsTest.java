package capslock.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.config.Settings;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SourceLimitsTest {

  /**
   * What a full node, or one with room again, does here: nothing (TcpEndpoint pauses accepting).
   */
  private static final Runnable NOTHING = () -> {};

  private static final Settings.Limits STRICT = new Settings.Limits(10, 1_000_000, 2, 3, false);

  @Test
  void remembersABoundedNumberOfSourcesWhateverHowMany() {
    SourceLimits limits = new SourceLimits(STRICT, () -> {}, () -> {});
    for (String source : new String[] {"192.0.2.1", "192.0.2.2", "192.0.2.1", "192.0.2.3"}) {
      limits.admitDatagram(at(source), 64);
    }
    assertEquals(3, limits.trackedSources(), "each source it has seen");
    for (int i = 0; i < 100_000; i++) {
      limits.admitDatagram(at("10." + (i >> 16) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF)), 64);
    }
    assertTrue(
        limits.trackedSources() <= SourceLimits.MAX_TRACKED_SOURCES,
        limits.trackedSources() + " sources tracked");
  }

  @Test
  void aSourceGetsOneSecondsWorthAtOnceThenNoMore() {
    LongAdder told = new LongAdder();
    SourceLimits limits = new SourceLimits(STRICT, told::increment, () -> {});
    int admitted = 0;
    for (int i = 0; i < 50; i++) {
      admitted += limits.admitDatagram(at("192.0.2.1"), 64) ? 1 : 0;
    }
    assertTrue(admitted >= 10 && admitted <= 11, admitted + " admitted");
    assertEquals(50 - admitted, limits.limitedDatagrams());
    assertEquals(50 - admitted, told.sum(), "each datagram turned away is told of");
    assertTrue(limits.admitDatagram(at("192.0.2.2"), 64), "another source is not affected");
  }

  @Test
  void aBucketHoldsOneSecondsWorthAndRefillsAtItsRate() {
    long start = TimeUnit.SECONDS.toNanos(1000);
    TokenBucket bucket = new TokenBucket(10, 1_000_000, start);
    for (int i = 0; i < 10; i++) {
      assertTrue(bucket.tryTake(64, start), "the burst: datagram " + (i + 1));
    }
    assertFalse(bucket.tryTake(64, start), "the eleventh at once");
    long later = start + TimeUnit.MILLISECONDS.toNanos(150); // 1.5 datagrams' worth
    assertTrue(bucket.tryTake(64, later), "a datagram's worth has come back");
    assertFalse(bucket.tryTake(64, later), "and only one");
    long muchLater = later + TimeUnit.MINUTES.toNanos(1);
    for (int i = 0; i < 10; i++) {
      assertTrue(bucket.tryTake(64, muchLater), "after a quiet minute: datagram " + (i + 1));
    }
    assertFalse(bucket.tryTake(64, muchLater), "never more than one second's worth at once");
  }

  @Test
  void aBucketCountsBytesAsWellAsDatagrams() {
    long start = TimeUnit.SECONDS.toNanos(1000);
    TokenBucket bucket = new TokenBucket(1000, 1000, start);
    assertTrue(bucket.tryTake(600, start));
    assertFalse(bucket.tryTake(600, start), "400 bytes left");
    assertTrue(bucket.tryTake(400, start));
    assertFalse(bucket.tryTake(1, start), "no byte left");
    long later = start + TimeUnit.MILLISECONDS.toNanos(500);
    assertTrue(bucket.tryTake(500, later), "half a second later: 500 bytes");
    assertFalse(bucket.tryTake(1, later));
  }

  @Test
  void aDatagramLargerThanASecondsBytesIsNeverAnswered() {
    SourceLimits limits =
        new SourceLimits(new Settings.Limits(1000, 100, 10, 10, false), () -> {}, () -> {});
    assertFalse(limits.admitDatagram(at("192.0.2.1"), 101));
    assertTrue(limits.admitDatagram(at("192.0.2.1"), 100));
  }

  @Test
  void countsConnectionsPerSourceAndInAll() {
    LongAdder told = new LongAdder();
    SourceLimits limits = new SourceLimits(STRICT, () -> {}, told::increment);
    assertTrue(limits.admitConnection(at("192.0.2.1"), NOTHING));
    assertTrue(limits.admitConnection(at("192.0.2.1"), NOTHING));
    assertFalse(limits.admitConnection(at("192.0.2.1"), NOTHING), "a third from one source");
    assertTrue(limits.admitConnection(at("192.0.2.2"), NOTHING));
    assertFalse(limits.admitConnection(at("192.0.2.3"), NOTHING), "a fourth in all");
    limits.connectionClosed(at("192.0.2.1"), NOTHING);
    assertTrue(limits.admitConnection(at("192.0.2.3"), NOTHING), "room again once one closed");
    assertEquals(2, limits.rejectedConnections());
    assertEquals(2, told.sum(), "each connection turned away is told of");
  }

  @Test
  void aClosedConnectionMakesRoomForExactlyOneMoreFromItsSource() {
    SourceLimits limits =
        new SourceLimits(new Settings.Limits(10, 1_000_000, 2, 100, false), () -> {}, () -> {});
    assertTrue(limits.admitConnection(at("192.0.2.1"), NOTHING));
    assertTrue(limits.admitConnection(at("192.0.2.1"), NOTHING));
    limits.connectionClosed(at("192.0.2.1"), NOTHING);
    assertTrue(limits.admitConnection(at("192.0.2.1"), NOTHING), "room for one again");
    assertFalse(limits.admitConnection(at("192.0.2.1"), NOTHING), "and for one only");
    limits.connectionClosed(at("192.0.2.1"), NOTHING);
    limits.connectionClosed(at("192.0.2.1"), NOTHING);
    assertTrue(
        limits.admitConnection(at("192.0.2.1"), NOTHING), "none open: the source starts again");
    assertTrue(limits.admitConnection(at("192.0.2.1"), NOTHING));
    assertFalse(limits.admitConnection(at("192.0.2.1"), NOTHING));
  }

  @Test
  void logsASourceOverItsLimitsOnceAMinuteNotForEachDatagramOrConnection() {
    List<String> warnings =
        warningsWhile(
            limits -> {
              for (int i = 0; i < 50; i++) {
                limits.admitDatagram(at("192.0.2.1"), 64);
                limits.admitDatagram(at("192.0.2.2"), 64);
              }
              for (int i = 0; i < 5; i++) {
                limits.admitConnection(at("192.0.2.3"), NOTHING);
              }
            });
    assertEquals(3, warnings.size(), warnings.toString());
    assertTrue(
        warnings
            .get(0)
            .startsWith("UDP from /192.0.2.1 is over its limit (10 datagrams/s, 1000000 bytes/s)"),
        warnings.get(0));
    assertTrue(
        warnings.get(1).startsWith("UDP from /192.0.2.2 is over its limit"), warnings.get(1));
    assertTrue(
        warnings
            .get(2)
            .startsWith(
                "TCP connection from /192.0.2.3 closed at once: 2 open from there (at most 2)"),
        warnings.get(2));
  }

  /** A source over its UDP limit and then over its TCP one is said for each. */
  @Test
  void aSourceOverBothLimitsIsSaidForEach() {
    List<String> warnings =
        warningsWhile(
            limits -> {
              for (int i = 0; i < 50; i++) {
                limits.admitDatagram(at("192.0.2.1"), 64);
              }
              for (int i = 0; i < 5; i++) {
                limits.admitConnection(at("192.0.2.1"), NOTHING);
              }
            });
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("UDP from /192.0.2.1 is over"), warnings.get(0));
    assertTrue(
        warnings.get(1).startsWith("TCP connection from /192.0.2.1 closed at once"),
        warnings.get(1));
  }

  /** The node's most is said when reached, and a connection over the hard most with both. */
  @Test
  void saysTheMostAndTheBurstOverIt() {
    List<String> warnings =
        warningsWhile(
            new Settings.Limits(10, 1_000_000, 100, 8, false),
            limits -> {
              for (int i = 0; i < 8 + 2 + 1; i++) {
                limits.admitConnection(at("192.0.2.1"), NOTHING);
              }
            });
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("TCP: 8 connections open, the node's most"));
    assertEquals(
        "TCP connection from /192.0.2.1 closed at once: 10 open in all (at most 8, and 2 of a"
            + " burst); 1 closed so far",
        warnings.get(1));
  }

  /** The warnings {@link SourceLimits} logs while {@code traffic} meets strict limits. */
  private static List<String> warningsWhile(Consumer<SourceLimits> traffic) {
    return warningsWhile(STRICT, traffic);
  }

  /** The warnings {@link SourceLimits} logs while {@code traffic} meets {@code limits}. */
  private static List<String> warningsWhile(
      Settings.Limits limits, Consumer<SourceLimits> traffic) {
    Logger logger = (Logger) LoggerFactory.getLogger(SourceLimits.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    try {
      traffic.accept(new SourceLimits(limits, () -> {}, () -> {}));
      return log.list.stream()
          .filter(event -> event.getLevel() == Level.WARN)
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void exemptsLoopbackFromThePerSourceLimitsButNotFromTheTotal() {
    Settings.Limits tiny =
        Settings.from(
                new JsonObject(
                    """
        {"udp": {"limits": {"datagramsPerSecond": 1, "bytesPerSecond": 1}},
         "tcp": {"limits": {"connectionsPerSource": 1, "maxConnections": 100}}}"""))
            .limits();
    SourceLimits limits = new SourceLimits(tiny, () -> {}, () -> {});
    for (int i = 0; i < 100; i++) {
      assertTrue(limits.admitDatagram(at("127.0.0.1"), 64));
      assertTrue(limits.admitConnection(at("::1"), NOTHING), "connection " + i);
    }
    assertFalse(
        limits.admitDatagram(at("192.0.2.1"), 64), "one byte a second is less than a datagram");
    // the total is the node's files: a local client's connections count in it too (100, and a
    // burst's 25 more)
    for (int i = 0; i < 25; i++) {
      assertTrue(limits.admitConnection(at("::1"), NOTHING), "of a burst: " + i);
    }
    assertFalse(limits.admitConnection(at("127.0.0.1"), NOTHING), "the 126th connection in all");
    assertFalse(limits.admitConnection(at("192.0.2.1"), NOTHING));
    limits.connectionClosed(at("::1"), NOTHING);
    assertTrue(limits.admitConnection(at("192.0.2.1"), NOTHING), "one has closed: room for one");
  }

  /**
   * A burst that Vert.x accepted before the port stopped is served up to a quarter of the most over
   * it (their files are taken already), but the port stops at the most, and accepts again only once
   * the node is below it.
   */
  @Test
  void aBurstIsServedUpToAQuarterOverTheMostWhileThePortStopsAtIt() {
    Settings.Limits limits = new Settings.Limits(10, 1_000_000, 100, 8, false);
    SourceLimits node = new SourceLimits(limits, () -> {}, () -> {});
    LongAdder stopped = new LongAdder();
    LongAdder restarted = new LongAdder();
    for (int i = 0; i < 8 + 2; i++) {
      assertTrue(node.admitConnection(at("192.0.2.1"), stopped::increment), "connection " + i);
    }
    assertFalse(node.admitConnection(at("192.0.2.2"), stopped::increment), "a third over 8");
    assertEquals(1, stopped.sum(), "the port stopped once, at the 8th");
    node.connectionClosed(at("192.0.2.1"), restarted::increment);
    node.connectionClosed(at("192.0.2.1"), restarted::increment);
    assertEquals(0, restarted.sum(), "at the most again: the port stays stopped");
    node.connectionClosed(at("192.0.2.1"), restarted::increment);
    assertEquals(1, restarted.sum(), "below the most: it accepts again");
    assertTrue(node.admitConnection(at("192.0.2.2"), stopped::increment));
    assertEquals(2, stopped.sum(), "at the most again: the port stops again");
  }

  /** However large the most, a burst over it is served within the files kept for it: 1,024. */
  @Test
  void aBurstOverALargeMostIsServedUpTo1024() {
    SourceLimits node =
        new SourceLimits(new Settings.Limits(10, 1_000_000, 100, 10_000, true), () -> {}, () -> {});
    for (int i = 0; i < 10_000 + 1_024; i++) {
      assertTrue(node.admitConnection(at("127.0.0.1"), NOTHING), "connection " + i);
    }
    assertFalse(node.admitConnection(at("127.0.0.1"), NOTHING), "the 11,025th");
  }

  /** An address given as a literal: no name is looked up. */
  private static InetAddress at(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
