package capslock.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class TrafficTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void theEndpointsOfEveryEventLoopCountIntoTheSameMeters() {
    Traffic one = new Traffic(registry);
    Traffic two = new Traffic(registry); // the launcher's -instances 2
    one.tcpPiece();
    two.tcpPiece();
    two.tcpPiece();
    one.tcpConnectionOpened();
    two.tcpConnectionOpened();
    two.tcpConnectionClosed();
    assertEquals(3.0, registry.get("capslock.tcp.pieces").counter().count());
    assertEquals(1.0, registry.get("capslock.tcp.connections.open").gauge().value());
  }

  @Test
  void theRequestsTakenAreTheTcpPiecesAndDatagramsOfEveryEndpointNotConnectionsOrBytes() {
    Traffic one = new Traffic(registry);
    Traffic two = new Traffic(registry);
    one.tcpConnectionOpened();
    one.tcpBytesIn(5);
    assertEquals(0, two.requestsTaken());
    one.tcpPiece();
    two.udpDatagram(3);
    two.udpDatagram(4);
    assertEquals(3, one.requestsTaken());
  }

  @Test
  void theOpenConnectionsAreStillReadAfterAGarbageCollection() {
    new Traffic(registry).tcpConnectionOpened(); // nothing else holds it
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    assertEquals(1.0, registry.get("capslock.tcp.connections.open").gauge().value());
  }
}
