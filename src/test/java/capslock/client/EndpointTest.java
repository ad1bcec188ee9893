package capslock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EndpointTest {

  @Test
  void namesItsServerAsAddressAndPortWithAnIpv6AddressInBrackets() {
    assertEquals("localhost:10825", new Endpoint("localhost", 10825, 0, Duration.ZERO).toString());
    assertEquals("127.0.0.1:11758", new Endpoint("127.0.0.1", 11758, 0, Duration.ZERO).toString());
    assertEquals("[::1]:10825", new Endpoint("::1", 10825, 0, Duration.ZERO).toString());
  }
}
