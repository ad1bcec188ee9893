package capslock.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthTest {

  @Test
  void aCheckThatNeverAnswersIsDownByTheDeadlineAndTheOthersAreSaid() throws Exception {
    Promise<String> never = Promise.promise(); // as a check on an event loop that is stuck
    Health health =
        new Health(Duration.ofMillis(200))
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

  @Test
  void upWhenEveryCheckAnswers() throws Exception {
    JsonObject report =
        new Health()
            .check("tcp", () -> Future.succeededFuture("port 10825"))
            .report()
            .await(5, TimeUnit.SECONDS);
    assertEquals("UP", report.getString("status"));
  }
}
