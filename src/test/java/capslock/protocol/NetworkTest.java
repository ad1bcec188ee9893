package capslock.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "127.0.0.1, true",
    "127.0.0.1:5702, true",
    "127.1.2.3, true",
    "localhost, true",
    "localhost:5702, true",
    "LOCALHOST, true",
    "::1, true",
    "[::1], true",
    "[::1]:5702, true",
    "10.0.0.5, false",
    "10.0.0.5:5702, false",
    "192.0.2.1, false",
    "::, false",
    "[2001:db8::1]:5701, false",
    "example.org, false",
    "loopback.example.org, false",
  })
  void recognisesAConfiguredHostOnTheLoopbackWithoutLookingNamesUp(String host, boolean loopback) {
    assertEquals(loopback, Network.isLoopback(host));
  }

  @Test
  void recognisesAPortAlreadyTakenByJavaOrByANativeTransport() {
    assertTrue(Network.isAddressInUse(new BindException("Address already in use")));
    assertTrue(
        Network.isAddressInUse(new java.io.IOException("bind(..) failed: Address already in use")));
    assertFalse(Network.isAddressInUse(new java.io.IOException("Permission denied")));
    assertFalse(Network.isAddressInUse(new RuntimeException((String) null)));
  }
}
