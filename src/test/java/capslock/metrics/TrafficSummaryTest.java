package capslock.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrafficSummaryTest {

  private final Traffic traffic = new Traffic(new SimpleMeterRegistry());
  private final TrafficSummary summary = new TrafficSummary(traffic);

  @Test
  void saysNothingWhileIdle() {
    assertEquals(Optional.empty(), summary.nextLine());
  }

  @Test
  void saysWhatThePeriodSawAndThenNothingOnceIdleAgain() {
    for (int i = 0; i < 3; i++) {
      traffic.tcpConnectionOpened();
      traffic.tcpConnectionClosed();
    }
    for (int i = 0; i < 4_021; i++) {
      traffic.tcpPiece();
    }
    for (int i = 0; i < 80; i++) {
      traffic.udpDatagram(10);
    }
    traffic.udpOversizeReplyDropped();
    traffic.udpOverloadDrop();
    assertEquals(
        Optional.of(
            "In the last minute: 3 TCP connections (0 open), 4,021 TCP pieces, 80 UDP datagrams, 2 errors"),
        summary.nextLine());
    assertEquals(Optional.empty(), summary.nextLine());
  }

  @Test
  void aConnectionLeftOpenWithoutTrafficIsIdle() {
    traffic.tcpConnectionOpened();
    assertEquals(
        Optional.of(
            "In the last minute: 1 TCP connections (1 open), 0 TCP pieces, 0 UDP datagrams, 0 errors"),
        summary.nextLine());
    assertEquals(Optional.empty(), summary.nextLine());
  }
}
