package capslock.server;

import capslock.worker.Uppercase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * The only uppercase worker of a node whose role is {@code endpoints}: it takes the pieces and
 * holds them, unanswered, until it leaves (a try waits 2 s for it).
 */
final class StalledWorker {

  private final Vertx vertx;
  private final MessageConsumer<Object> consumer;

  private StalledWorker(Vertx vertx, MessageConsumer<Object> consumer) {
    this.vertx = vertx;
    this.consumer = consumer;
  }

  static Future<StalledWorker> register(Vertx vertx) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(Uppercase.ADDRESS, held -> {});
    return consumer.completion().map(registered -> new StalledWorker(vertx, consumer));
  }

  /**
   * It leaves, and says so: what it held is asked again at once, of no worker, and upper-cased
   * locally.
   */
  Future<Void> leave() {
    return consumer
        .unregister()
        .onSuccess(gone -> vertx.eventBus().publish(Uppercase.WORKERS_LEFT, "the stalled worker"));
  }
}
