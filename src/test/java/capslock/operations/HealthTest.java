package capslock.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HealthTest {

  @Test
  void aCheckThatNeverAnswersIsDownByTheDeadlineAndTheOthersAreSaid(Vertx vertx) throws Exception {
    Promise<String> never = Promise.promise();
    Health health =
        new Health(vertx, Duration.ofMillis(200))
            .check("tcp", () -> Future.succeededFuture("port 10825"))
            .check("udp", never::future)
            .check(
                "workers",
                () -> {
                  throw new IllegalStateException("no worker deployed");
                });

    JsonObject report = health.report().await(5, TimeUnit.SECONDS);

    assertEquals(
        new JsonObject()
            .put("status", "DOWN")
            .put(
                "checks",
                new JsonObject()
                    .put("tcp", new JsonObject().put("status", "UP").put("detail", "port 10825"))
                    .put(
                        "udp",
                        new JsonObject()
                            .put("status", "DOWN")
                            .put("detail", "no answer within 0.2 s"))
                    .put(
                        "workers",
                        new JsonObject()
                            .put("status", "DOWN")
                            .put("detail", "no worker deployed"))),
        report);
  }

  /**
   * A check whose future belongs to an event loop that is stuck: its own timers would never run
   * there, the health's do, on the loop that asks.
   */
  @Test
  void aCheckOnAStuckEventLoopIsDownByTheDeadline(Vertx vertx) throws Exception {
    Context stuck = vertx.getOrCreateContext();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    stuck.runOnContext(
        block -> {
          blocking.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    blocking.await(5, TimeUnit.SECONDS);
    Context onAnotherLoop = contextOnAnotherLoopThan(stuck, vertx);
    try {
      Promise<String> onTheStuckLoop = ((ContextInternal) stuck).promise();
      Health health =
          new Health(vertx, Duration.ofMillis(200)).check("udp", onTheStuckLoop::future);

      JsonObject report =
          Future.<JsonObject>future(
                  answer -> onAnotherLoop.runOnContext(now -> health.report().onComplete(answer)))
              .await(5, TimeUnit.SECONDS);

      assertEquals("DOWN", report.getString("status"), report.encode());
    } finally {
      release.countDown();
    }
  }

  /**
   * A new context, on another event loop than {@code other}'s: Vert.x gives a thread that is not
   * its own the same context each time, and new contexts the event loops in turn.
   */
  private static Context contextOnAnotherLoopThan(Context other, Vertx vertx)
      throws InterruptedException {
    for (int i = 0; i < 16; i++) {
      AtomicReference<Context> fresh = new AtomicReference<>();
      Thread thread = new Thread(() -> fresh.set(vertx.getOrCreateContext()));
      thread.start();
      thread.join();
      if (loopOf(fresh.get()) != loopOf(other)) {
        return fresh.get();
      }
    }
    throw new AssertionError("every new context was on the same event loop");
  }

  private static Object loopOf(Context context) {
    return ((ContextInternal) context).nettyEventLoop();
  }

  @Test
  void aChecksOwnTimeoutIsSaidAsItsOwn(Vertx vertx) throws Exception {
    JsonObject report =
        new Health(vertx)
            .check("workers", () -> Future.failedFuture(new TimeoutException("probe: 1000 ms")))
            .report()
            .await(5, TimeUnit.SECONDS);
    assertEquals(
        "probe: 1000 ms",
        report.getJsonObject("checks").getJsonObject("workers").getString("detail"));
  }
}
