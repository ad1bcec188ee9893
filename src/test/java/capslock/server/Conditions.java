package capslock.server;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for what a server does in its own time, without a sleep. */
public final class Conditions {

  private Conditions() {}

  /** Checks {@code condition} every 10 ms on the event loop, up to 10 s. */
  public static void awaitCondition(Vertx vertx, BooleanSupplier condition) throws Exception {
    Promise<Void> met = Promise.promise();
    long timer =
        vertx.setPeriodic(
            10,
            tick -> {
              if (condition.getAsBoolean()) {
                met.tryComplete();
              }
            });
    try {
      met.future().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.cancelTimer(timer);
    }
  }
}
