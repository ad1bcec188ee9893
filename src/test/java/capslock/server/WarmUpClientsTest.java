package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import capslock.limits.SourceLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The warm-up's clients, as the endpoints tell them from real ones. */
class WarmUpClientsTest {

  private final WarmUpClients clients = new WarmUpClients();
  private final InetSocketAddress warmUp = new InetSocketAddress("127.0.0.1", 40_001);

  @Test
  void aTcpClientsPortIsNotAUdpClientsAndTheOtherWayRound() {
    clients.addTcp(warmUp);
    assertTrue(clients.includesTcp(warmUp));
    assertFalse(clients.includesUdp(warmUp), "a real UDP client may have the same port number");

    WarmUpClients udpOnly = new WarmUpClients();
    udpOnly.addUdp(warmUp);
    assertTrue(udpOnly.includesUdp(warmUp));
    assertFalse(udpOnly.includesTcp(warmUp), "a real TCP client may have the same port number");
  }

  @Test
  void anotherAddressOrPortIsARealClient() {
    clients.addTcp(warmUp);
    clients.addUdp(warmUp);
    assertFalse(clients.includesTcp(new InetSocketAddress("127.0.0.1", 40_002)));
    assertFalse(clients.includesUdp(new InetSocketAddress("127.0.0.2", 40_001)));
  }

  @Test
  void forgetsEveryoneOnceTheWarmUpIsOver() {
    clients.addTcp(warmUp);
    clients.addUdp(warmUp);
    clients.forgetAll();
    assertFalse(clients.includesTcp(warmUp));
    assertFalse(clients.includesUdp(warmUp));
  }

  @Test
  void itsLimitsNeverBindWhateverTheSource() throws Exception {
    SourceLimits limits = clients.limits();
    InetAddress elsewhere = InetAddress.getByName("192.0.2.1");
    InetAddress here = InetAddress.getByName("127.0.0.1");
    // the default ones take 2,000 datagrams a second and 256 connections from one source
    for (int i = 0; i < 10_000; i++) {
      assertTrue(limits.admitDatagram(elsewhere, 65_507), "datagram " + i);
      assertTrue(limits.admitDatagram(here, 65_507), "datagram " + i);
    }
    for (int i = 0; i < 1_000; i++) {
      assertTrue(limits.admitConnection(elsewhere, () -> fail("full")), "connection " + i);
    }
    assertEquals(0, limits.limitedDatagrams());
    assertEquals(0, limits.rejectedConnections());
  }
}
