package capslock.worker;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints' side of the uppercase workers. Pieces of text travel to the workers together,
 * as one event-bus request: those asked for in one turn of the event loop, and those asked for
 * while as many requests as there are workers are already out. An idle server sends a piece at
 * once; a busy one sends fewer, larger requests, so the hand-offs between threads (the real cost
 * of the event-bus hop) stay few per piece.
 * A reply never fails: if no worker answers, the pieces are upper-cased here instead (said
 * once in the log, until a worker answers again), so that no client ever loses a byte.
 *
 * <p>Use one instance per verticle, from its event loop: it is not thread-safe, and needs not be.
 */
public final class Uppercase {

  /** The event-bus address the workers consume. */
  public static final String ADDRESS = "capslock.uppercase";

  private static final Logger log = LoggerFactory.getLogger(Uppercase.class);
  private static final DeliveryOptions DELIVERY = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;
  private final Context context;
  private final int maxRequestsOut;
  private List<Buffer> batch = new ArrayList<>();
  private List<Promise<Buffer>> replies = new ArrayList<>();
  private int requestsOut;
  private boolean sendScheduled;
  private boolean upperCasingLocally;

  /**
   * Created in the verticle that uses it: its requests go out from that verticle's context.
   *
   * @param maxRequestsOut how many requests may wait for the workers at once (one per worker keeps them all busy)
   */
  public Uppercase(Vertx vertx, int maxRequestsOut) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.maxRequestsOut = maxRequestsOut;
  }

  /** The upper case of {@code text}, from a worker (or from here when none answers). */
  public Future<Buffer> apply(Buffer text) {
    Promise<Buffer> reply = Promise.promise();
    batch.add(text);
    replies.add(reply);
    if (!sendScheduled && requestsOut < maxRequestsOut) {
      sendScheduled = true;
      context.runOnContext(endOfTurn -> send());
    }
    return reply.future();
  }

  private void send() {
    sendScheduled = false;
    if (batch.isEmpty() || requestsOut >= maxRequestsOut) {
      return;
    }
    requestsOut++;
    List<Buffer> pieces = batch;
    List<Promise<Buffer>> waiting = replies;
    batch = new ArrayList<>();
    replies = new ArrayList<>();
    vertx.eventBus().<Pieces>request(ADDRESS, new Pieces(pieces), DELIVERY)
        .map(this::fromWorker)
        .otherwise(failure -> locally(pieces, failure))
        .onSuccess(upper -> {
          requestsOut--;
          for (int i = 0; i < waiting.size(); i++) {
            waiting.get(i).complete(upper.get(i));
          }
          send(); // what was asked for meanwhile
        });
  }

  private List<Buffer> fromWorker(Message<Pieces> reply) {
    if (upperCasingLocally) {
      upperCasingLocally = false;
      log.info("An uppercase worker answers again; no longer upper-casing locally");
    }
    return reply.body().list();
  }

  private List<Buffer> locally(List<Buffer> pieces, Throwable failure) {
    if (!upperCasingLocally) {
      upperCasingLocally = true;
      log.warn("No uppercase worker answered ({}); upper-casing locally until one does", failure.getMessage());
    }
    return UppercaseVerticle.upper(new Pieces(pieces)).list();
  }
}
