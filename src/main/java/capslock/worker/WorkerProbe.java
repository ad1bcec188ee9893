package capslock.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;

/** Whether an uppercase worker, of any node, answers: for health checks. */
public final class WorkerProbe {

  private WorkerProbe() {}

  /**
   * Asks the workers to upper-case nothing: succeeds with the microseconds it took when one answers
   * within {@code timeoutMs}. It moves no counter.
   */
  public static Future<Long> probe(Vertx vertx, long timeoutMs) {
    long start = System.nanoTime();
    Pieces nothing = Pieces.of(List.of());
    return vertx
        .eventBus()
        .<Pieces>request(
            Uppercase.ADDRESS, nothing, new DeliveryOptions().setSendTimeout(timeoutMs))
        .andThen(answered -> nothing.reclaim())
        .map(reply -> (System.nanoTime() - start) / 1_000);
  }
}
