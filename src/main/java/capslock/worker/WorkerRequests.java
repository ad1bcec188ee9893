package capslock.worker;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the uppercase workers, of any node, for the upper cases of some pieces, and never fails
 * for want of a worker. Upper-casing is idempotent, so a request that fails (no worker, a
 * timeout, a worker node gone) is sent again, and the event bus picks the next worker; when no
 * worker answers {@link #TRIES} times, the pieces go to the {@link LocalFallback}. While no worker
 * answers, one try per request: a known outage costs at most one timeout.
 */
final class WorkerRequests {

  /** How many times a request is sent before the pieces are upper-cased locally. */
  static final int TRIES = 3;
  /**
   * How long one try waits for its reply. A worker node killed mid-request never answers, so
   * this bounds how long its requests wait before another worker gets them.
   */
  static final long TRY_TIMEOUT_MS = 2_000;

  private static final Logger log = LoggerFactory.getLogger(WorkerRequests.class);
  private static final DeliveryOptions DELIVERY = new DeliveryOptions().setSendTimeout(TRY_TIMEOUT_MS);

  private final Vertx vertx;
  private final UppercaseEvents events;
  private final LocalFallback fallback;

  WorkerRequests(Vertx vertx, UppercaseEvents events) {
    this.vertx = vertx;
    this.events = events;
    this.fallback = new LocalFallback(vertx, events);
  }

  /**
   * The upper cases of {@code texts}, in the same order. The texts stay the caller's until the
   * future completes; then they are released here, whatever happened. The upper cases are the
   * caller's. Fails only while Vert.x itself closes.
   */
  Future<List<ByteBuf>> upperCase(List<ByteBuf> texts) {
    return ask(texts, fallback.inUse() ? 1 : TRIES);
  }

  private Future<List<ByteBuf>> ask(List<ByteBuf> texts, int tries) {
    Pieces request = Pieces.of(texts);
    return vertx.eventBus().<Pieces>request(Uppercase.ADDRESS, request, DELIVERY).transform(answer -> {
      List<ByteBuf> uppers = answer.succeeded() ? takeUppers(answer.result()) : null;
      List<ByteBuf> ours = request.reclaim(); // the texts, or copies if a late worker still reads them
      if (uppers != null) {
        Pieces.release(ours);
        return Future.succeededFuture(uppers);
      }
      if (tries > 1) {
        events.retried();
        log.debug("An uppercase request failed ({}); sending it again", answer.cause().getMessage());
        return ask(ours, tries - 1);
      }
      return fallback.upperCase(ours, answer.cause()).andThen(done -> Pieces.release(ours));
    });
  }

  private List<ByteBuf> takeUppers(Message<Pieces> answer) {
    fallback.workerAnswered();
    return answer.body().takeUppers();
  }
}
