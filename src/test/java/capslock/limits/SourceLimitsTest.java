package capslock.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.config.Settings;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class SourceLimitsTest {

  private static final Settings.Limits STRICT = new Settings.Limits(10, 1_000_000, 2, 3, false);

  @Test
  void remembersABoundedNumberOfSourcesWhateverHowMany() {
    SourceLimits limits = new SourceLimits(STRICT, () -> { }, () -> { });
    for (int i = 0; i < 100_000; i++) {
      limits.admitDatagram(at("10." + (i >> 16) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF)), 64);
    }
    assertTrue(limits.trackedSources() <= SourceLimits.MAX_TRACKED_SOURCES, limits.trackedSources() + " sources tracked");
  }

  @Test
  void aSourceGetsOneSecondsWorthAtOnceThenNoMore() {
    SourceLimits limits = new SourceLimits(STRICT, () -> { }, () -> { });
    int admitted = 0;
    for (int i = 0; i < 50; i++) {
      admitted += limits.admitDatagram(at("192.0.2.1"), 64) ? 1 : 0;
    }
    assertTrue(admitted >= 10 && admitted <= 11, admitted + " admitted");
    assertEquals(50 - admitted, limits.limitedDatagrams());
    assertTrue(limits.admitDatagram(at("192.0.2.2"), 64), "another source is not affected");
  }

  @Test
  void aDatagramLargerThanASecondsBytesIsNeverAnswered() {
    SourceLimits limits = new SourceLimits(new Settings.Limits(1000, 100, 10, 10, false), () -> { }, () -> { });
    assertFalse(limits.admitDatagram(at("192.0.2.1"), 101));
    assertTrue(limits.admitDatagram(at("192.0.2.1"), 100));
  }

  @Test
  void countsConnectionsPerSourceAndInAll() {
    SourceLimits limits = new SourceLimits(STRICT, () -> { }, () -> { });
    assertTrue(limits.admitConnection(at("192.0.2.1")));
    assertTrue(limits.admitConnection(at("192.0.2.1")));
    assertFalse(limits.admitConnection(at("192.0.2.1")), "a third from one source");
    assertTrue(limits.admitConnection(at("192.0.2.2")));
    assertFalse(limits.admitConnection(at("192.0.2.3")), "a fourth in all");
    limits.connectionClosed(at("192.0.2.1"));
    assertTrue(limits.admitConnection(at("192.0.2.3")), "room again once one closed");
    assertEquals(2, limits.rejectedConnections());
  }

  @Test
  void exemptsLoopbackByDefault() {
    Settings.Limits tiny = Settings.from(new JsonObject("""
        {"udp": {"limits": {"datagramsPerSecond": 1, "bytesPerSecond": 1}},
         "tcp": {"limits": {"connectionsPerSource": 1, "maxConnections": 1}}}""")).limits();
    SourceLimits limits = new SourceLimits(tiny, () -> { }, () -> { });
    for (int i = 0; i < 100; i++) {
      assertTrue(limits.admitDatagram(at("127.0.0.1"), 64));
      assertTrue(limits.admitConnection(at("::1")));
    }
    assertFalse(limits.admitDatagram(at("192.0.2.1"), 64), "one byte a second is less than a datagram");
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
