package capslock.operations;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Named checks, each a future that succeeds with a word on how it is (the TCP port bound, a worker
 * answering) or fails with why not. The service is UP when all succeed.
 */
public final class Health {

  /** How long a check may take: one that has not answered by then is DOWN. */
  static final Duration DEADLINE = Duration.ofSeconds(2);

  private final Map<String, Supplier<Future<String>>> checks = new LinkedHashMap<>();
  private final Vertx vertx;
  private final Duration deadline;

  /** Timed by {@code vertx}'s timers, on the context that asks for the health. */
  public Health(Vertx vertx) {
    this(vertx, DEADLINE);
  }

  Health(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  /** Adds a check; {@code check} is asked afresh each time the health is. */
  public Health check(String name, Supplier<Future<String>> check) {
    checks.put(name, check);
    return this;
  }

  /**
   * {@code {"status": "UP", "checks": {"tcp": {"status": "UP", "detail": "port 10825"}, ...}}};
   * never fails.
   */
  public Future<JsonObject> report() {
    List<String> names = new ArrayList<>(checks.keySet());
    List<Future<String>> results = names.stream().map(name -> attempt(checks.get(name))).toList();
    return Future.join(results)
        .transform(
            all -> {
              JsonObject details = new JsonObject();
              boolean up = true;
              for (int i = 0; i < names.size(); i++) {
                Future<String> result = results.get(i);
                up &= result.succeeded();
                details.put(
                    names.get(i),
                    new JsonObject()
                        .put("status", result.succeeded() ? "UP" : "DOWN")
                        .put(
                            "detail",
                            result.succeeded()
                                ? result.result()
                                : String.valueOf(result.cause().getMessage())));
              }
              return Future.succeededFuture(
                  new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", details));
            });
  }

  /**
   * The check, or its failure when it throws or has not answered by the deadline: a check that
   * waits on an event loop that is stuck, or already closed in a stop, would hold the answer. The
   * deadline is this side's own timer, not the check's future's, which may be on that same loop.
   */
  private Future<String> attempt(Supplier<Future<String>> check) {
    Promise<String> answer = Promise.promise();
    long timer =
        vertx.setTimer(
            deadline.toMillis(),
            late -> answer.tryFail("no answer within " + deadline.toMillis() / 1000.0 + " s"));
    try {
      check.get().onComplete(answer::tryComplete, answer::tryFail);
    } catch (RuntimeException e) {
      answer.tryFail(e);
    }
    return answer.future().andThen(done -> vertx.cancelTimer(timer));
  }
}
