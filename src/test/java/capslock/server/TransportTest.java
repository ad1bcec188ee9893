package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The endpoint tests run twice (pom.xml): on Java NIO, and on io_uring. This checks that each run
 * really is on the transport it asks for, so that the io_uring run cannot pass on NIO unnoticed;
 * where the kernel refuses io_uring (a container's seccomp profile), it says so and skips.
 */
@ExtendWith(VertxExtension.class)
class TransportTest {

  @Test
  void runsOnTheTransportThisTestRunAsksFor(Vertx vertx) {
    String expected = System.getProperty("capslock.test.transport", "nio");
    if (expected.equals("io_uring")) {
      Assumptions.assumeTrue(
          Transport.IO_URING.available(),
          () ->
              "io_uring is not available here, so this run was on NIO: "
                  + Transport.IO_URING.unavailabilityCause());
    }
    assertEquals(expected, Transports.name(vertx));
  }
}
