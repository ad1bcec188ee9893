package capslock.worker;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints' side of the uppercase worker: sends a piece of text over the event bus
 * and gives back the reply. A reply never fails: if no worker answers, the piece is
 * upper-cased here instead (said once in the log, until a worker answers again), so that
 * no client ever loses a byte because of the event bus.
 *
 * <p>Use one instance per verticle: it is not thread-safe, as it needs not be on its event loop.
 */
public final class Uppercase {

  /** The event-bus address the workers consume. */
  public static final String ADDRESS = "capslock.uppercase";

  private static final Logger log = LoggerFactory.getLogger(Uppercase.class);
  private static final DeliveryOptions DELIVERY = new DeliveryOptions().setSendTimeout(10_000);

  private final EventBus eventBus;
  private boolean upperCasingLocally;

  public Uppercase(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  /** The upper case of {@code text}, from a worker (or from here when none answers). */
  public Future<Buffer> apply(Buffer text) {
    return eventBus.<Buffer>request(ADDRESS, text, DELIVERY)
        .map(this::fromWorker)
        .otherwise(failure -> locally(text, failure));
  }

  private Buffer fromWorker(Message<Buffer> reply) {
    if (upperCasingLocally) {
      upperCasingLocally = false;
      log.info("An uppercase worker answers again; no longer upper-casing locally");
    }
    return reply.body();
  }

  private Buffer locally(Buffer text, Throwable failure) {
    if (!upperCasingLocally) {
      upperCasingLocally = true;
      log.warn("No uppercase worker answered ({}); upper-casing locally until one does", failure.getMessage());
    }
    return UppercaseVerticle.upper(text);
  }
}
