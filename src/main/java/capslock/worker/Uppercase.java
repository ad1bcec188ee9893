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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints' side of the uppercase workers. Pieces of text travel to the workers together,
 * as one event-bus request: those asked for in one turn of the event loop, and those asked for
 * while as many requests as there are workers are already out. An idle server sends a piece at
 * once; a busy one sends fewer, larger requests, so the hand-offs between threads (the real cost
 * of the event-bus hop) stay few per piece.
 *
 * <p>A reply never fails. Upper-casing is idempotent, so a request that fails (no worker, a
 * timeout, a worker node gone) is sent again, and the event bus picks the next worker, on any
 * node. When no worker answers {@link #TRIES} times, the pieces are upper-cased here, on a
 * thread of the worker pool; that is said once in the log (and counted) until a worker answers
 * again. The caller's order of replies is its own affair: callers queue their futures.
 *
 * <p>Use one instance per verticle, from its event loop: it is not thread-safe, and needs not be.
 */
public final class Uppercase {

  /** The event-bus address the workers consume. */
  public static final String ADDRESS = "capslock.uppercase";

  private static final Logger log = LoggerFactory.getLogger(Uppercase.class);
  /** How many times a request is sent before the pieces are upper-cased locally. */
  static final int TRIES = 3;
  /**
   * How long one try waits for its reply. A worker node killed mid-request never answers, so
   * this bounds how long its requests wait before another worker gets them.
   */
  static final long TRY_TIMEOUT_MS = 2_000;

  private static final DeliveryOptions DELIVERY = new DeliveryOptions().setSendTimeout(TRY_TIMEOUT_MS);

  private final Vertx vertx;
  private final Context context;
  private final int maxRequestsOut;
  private List<Buffer> batch = new ArrayList<>();
  private List<Promise<Buffer>> replies = new ArrayList<>();
  private int requestsOut;
  private boolean sendScheduled;
  private boolean upperCasingLocally;
  private final LongAdder retries = new LongAdder(); // counters read by the metrics from another thread
  private final LongAdder piecesUpperCasedLocally = new LongAdder();
  private final LongConsumer latency;

  /**
   * Created in the verticle that uses it: its requests go out from that verticle's context.
   *
   * @param maxRequestsOut how many requests may wait for the workers at once (one per worker keeps them all busy)
   * @param latency told how long each request took, in nanoseconds, retries and local upper-casing included
   */
  public Uppercase(Vertx vertx, int maxRequestsOut, LongConsumer latency) {
    this.vertx = vertx;
    this.latency = latency;
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
    long sentAt = System.nanoTime();
    upperCase(pieces).onComplete(upper -> {
      latency.accept(System.nanoTime() - sentAt);
      requestsOut--;
      for (int i = 0; i < waiting.size(); i++) {
        if (upper.succeeded()) {
          waiting.get(i).complete(upper.result().get(i));
        } else {
          waiting.get(i).fail(upper.cause()); // only when Vert.x itself is closing
        }
      }
      send(); // what was asked for meanwhile
    });
  }

  /**
   * Asks the workers (of any node) to upper-case nothing: succeeds with the microseconds it took when
   * one answers within {@code timeoutMs}. For health checks: it moves no counter.
   */
  public static Future<Long> probe(Vertx vertx, long timeoutMs) {
    long start = System.nanoTime();
    return vertx.eventBus().request(ADDRESS, new Pieces(List.of()), new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(reply -> (System.nanoTime() - start) / 1_000);
  }

  /** Requests sent again after a try failed. */
  public long retries() {
    return retries.sum();
  }

  /** Pieces upper-cased here because no worker answered. */
  public long piecesUpperCasedLocally() {
    return piecesUpperCasedLocally.sum();
  }

  private Future<List<Buffer>> upperCase(List<Buffer> pieces) {
    // while no worker answers, one try per request: a known outage costs at most one timeout
    return ask(new Pieces(pieces), upperCasingLocally ? 1 : TRIES)
        .recover(failure -> locally(pieces, failure));
  }

  private Future<List<Buffer>> ask(Pieces pieces, int tries) {
    return vertx.eventBus().<Pieces>request(ADDRESS, pieces, DELIVERY)
        .map(this::fromWorker)
        .recover(failure -> {
          if (tries <= 1) {
            return Future.failedFuture(failure);
          }
          retries.increment();
          log.debug("An uppercase request failed ({}); sending it again", failure.getMessage());
          return ask(pieces, tries - 1);
        });
  }

  private List<Buffer> fromWorker(Message<Pieces> reply) {
    if (upperCasingLocally) {
      upperCasingLocally = false;
      log.info("An uppercase worker answers again; all text goes to the workers once more");
    }
    return reply.body().list();
  }

  private Future<List<Buffer>> locally(List<Buffer> pieces, Throwable failure) {
    if (!upperCasingLocally) {
      upperCasingLocally = true;
      log.warn("No uppercase worker answered ({}); upper-casing locally until one does", failure.getMessage());
    }
    piecesUpperCasedLocally.add(pieces.size());
    // off the event loop: a batch can be megabytes; unordered, as the callers keep their own order
    return vertx.executeBlocking(() -> UppercaseVerticle.upper(new Pieces(pieces)).list(), false);
  }
}
