package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * UDP with many requests in flight, as load generators and busy clients send them, against several
 * uppercase workers (which finish requests in any order): every reply comes, exact, and each socket
 * gets its replies in the order it sent its requests.
 */
@ExtendWith(VertxExtension.class)
class UdpUnderLoadTest {

  private static final int SOCKETS = 16;
  private static final int IN_FLIGHT = 16;
  private static final int PER_SOCKET = 400;

  @Test
  void sixteenSocketsWithSixteenInFlightGetEveryReplyExactAndInOrder(Vertx vertx) throws Exception {
    JsonObject fourWorkers = new JsonObject().put("worker", new JsonObject().put("instances", 4));
    int port = TestServer.start(vertx, fourWorkers).await().udpPort();

    assertEquals(
        SOCKETS * PER_SOCKET,
        UdpPipelinedClient.run(vertx, port, SOCKETS, IN_FLIGHT, PER_SOCKET)
            .await(60, TimeUnit.SECONDS));
  }
}
