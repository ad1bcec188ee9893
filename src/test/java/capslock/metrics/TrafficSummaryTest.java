package capslock.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrafficSummaryTest {

  private final Traffic traffic = new Traffic(new SimpleMeterRegistry());
  private final AtomicLong errors = new AtomicLong();
  private final TrafficSummary summary = new TrafficSummary(traffic, errors::get);

  @Test
  void saysNothingWhileIdle() {
    assertEquals(Optional.empty(), summary.nextLine());
  }

  @Test
  void saysWhatThePeriodSawAndThenNothingOnceIdleAgain() {
    traffic.tcpConnectionsOpened.add(3);
    traffic.tcpConnectionsClosed.add(3);
    traffic.tcpPieces.add(4_021);
    traffic.udpDatagrams.add(80);
    errors.set(2);
    assertEquals(Optional.of("In the last minute: 3 TCP connections (0 open), 4,021 TCP pieces, 80 UDP datagrams, 2 errors"),
        summary.nextLine());
    assertEquals(Optional.empty(), summary.nextLine());
  }

  @Test
  void aConnectionLeftOpenWithoutTrafficIsIdle() {
    traffic.tcpConnectionsOpened.add(1);
    assertEquals(Optional.of("In the last minute: 1 TCP connections (1 open), 0 TCP pieces, 0 UDP datagrams, 0 errors"),
        summary.nextLine());
    assertEquals(Optional.empty(), summary.nextLine());
  }
}
