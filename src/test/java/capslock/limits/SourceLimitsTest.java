package capslock.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.config.Settings;
import org.junit.jupiter.api.Test;

class SourceLimitsTest {

  private static final Settings.Limits STRICT = new Settings.Limits(10, 1_000_000, 2, 3, false);

  @Test
  void remembersABoundedNumberOfSourcesWhateverHowMany() {
    SourceLimits limits = new SourceLimits(STRICT, () -> { }, () -> { });
    for (int i = 0; i < 100_000; i++) {
      limits.admitDatagram("10." + (i >> 16) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF), 64);
    }
    assertTrue(limits.trackedSources() <= SourceLimits.MAX_TRACKED_SOURCES, limits.trackedSources() + " sources tracked");
  }

  @Test
  void aSourceGetsOneSecondsWorthAtOnceThenNoMore() {
    SourceLimits limits = new SourceLimits(STRICT, () -> { }, () -> { });
    int admitted = 0;
    for (int i = 0; i < 50; i++) {
      admitted += limits.admitDatagram("192.0.2.1", 64) ? 1 : 0;
    }
    assertTrue(admitted >= 10 && admitted <= 11, admitted + " admitted");
    assertEquals(50 - admitted, limits.limitedDatagrams());
    assertTrue(limits.admitDatagram("192.0.2.2", 64), "another source is not affected");
  }

  @Test
  void aDatagramLargerThanASecondsBytesIsNeverAnswered() {
    SourceLimits limits = new SourceLimits(new Settings.Limits(1000, 100, 10, 10, false), () -> { }, () -> { });
    assertFalse(limits.admitDatagram("192.0.2.1", 101));
    assertTrue(limits.admitDatagram("192.0.2.1", 100));
  }

  @Test
  void countsConnectionsPerSourceAndInAll() {
    SourceLimits limits = new SourceLimits(STRICT, () -> { }, () -> { });
    assertTrue(limits.admitConnection("192.0.2.1"));
    assertTrue(limits.admitConnection("192.0.2.1"));
    assertFalse(limits.admitConnection("192.0.2.1"), "a third from one source");
    assertTrue(limits.admitConnection("192.0.2.2"));
    assertFalse(limits.admitConnection("192.0.2.3"), "a fourth in all");
    limits.connectionClosed("192.0.2.1");
    assertTrue(limits.admitConnection("192.0.2.3"), "room again once one closed");
    assertEquals(2, limits.rejectedConnections());
  }

  @Test
  void exemptsLoopbackByDefault() {
    SourceLimits limits = new SourceLimits(new Settings.Limits(1, 1, 1, 1, true), () -> { }, () -> { });
    for (int i = 0; i < 100; i++) {
      assertTrue(limits.admitDatagram("127.0.0.1", 64));
      assertTrue(limits.admitConnection("::1"));
    }
    assertFalse(limits.admitDatagram("192.0.2.1", 64), "one byte a second is less than a datagram");
  }
}
