package capslock.worker;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the uppercase workers, of any node, for the upper cases of some pieces, and never fails for
 * want of a worker. Upper-casing is idempotent, so a request that fails (no worker, a timeout, a
 * worker node gone) is sent again, and the event bus picks the next worker; when no worker answers
 * {@link #TRIES} times, the pieces go to the {@link LocalFallback}. While no worker answers, one
 * try per request: a known outage costs at most one timeout.
 *
 * <p>A request sent to a workers node just as it stops taking requests is dropped there without a
 * word, and would wait for its timeout; so when a node leaves the cluster ({@link
 * Uppercase#WORKERS_LEFT}), every request still out is sent again at once.
 */
final class WorkerRequests {

  /** How many times a request is sent before the pieces are upper-cased locally. */
  static final int TRIES = 3;

  /**
   * How long one try waits for its reply. A worker node killed mid-request never answers, so this
   * bounds how long its requests wait before another worker gets them.
   */
  static final long TRY_TIMEOUT_MS = 2_000;

  private static final Logger log = LoggerFactory.getLogger(WorkerRequests.class);
  private static final DeliveryOptions DELIVERY =
      new DeliveryOptions().setSendTimeout(TRY_TIMEOUT_MS);

  /**
   * One try of a request: its pieces, and its answer to come (from a worker, a timeout, or a
   * stopping node). Each try is itself alone, so it keeps Object's identity equality: a record's
   * generated {@code hashCode} would cost the first request about 20 ms to link.
   */
  private static final class Try {
    final Pieces request;
    final Promise<Message<Pieces>> answer = Promise.promise();

    Try(Pieces request) {
      this.request = request;
    }
  }

  private final Vertx vertx;
  private final UppercaseEvents events;
  private final LocalFallback fallback;
  private final Set<Try> out = new HashSet<>(); // touched on the endpoints' event loop only

  /** Created on the endpoints' event loop, which then hears of the nodes that leave too. */
  WorkerRequests(Vertx vertx, UppercaseEvents events) {
    this.vertx = vertx;
    this.events = events;
    this.fallback = new LocalFallback(vertx, events);
    vertx.eventBus().<String>consumer(Uppercase.WORKERS_LEFT, left -> sendAgain(left.body()));
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
    Try attempt = new Try(Pieces.of(texts));
    out.add(attempt);
    vertx
        .eventBus()
        .<Pieces>request(Uppercase.ADDRESS, attempt.request, DELIVERY)
        .onComplete(attempt.answer::tryComplete, attempt.answer::tryFail);
    return attempt
        .answer
        .future()
        .transform(
            answer -> {
              out.remove(attempt);
              List<ByteBuf> uppers = answer.succeeded() ? takeUppers(answer.result()) : null;
              // the texts, or copies if a late worker still reads them
              List<ByteBuf> ours = attempt.request.reclaim();
              if (uppers != null) {
                Pieces.release(ours);
                return Future.succeededFuture(uppers);
              }
              // handed back by workers that stopped: no worker failed it, so no try is spent
              boolean handedBack = answer.cause() instanceof WorkersLeft;
              if (handedBack || tries > 1) {
                events.retried();
                log.debug(
                    "An uppercase request failed ({}); sending it again",
                    answer.cause().getMessage());
                return ask(ours, handedBack ? tries : tries - 1);
              }
              return fallback.upperCase(ours, answer.cause()).andThen(done -> Pieces.release(ours));
            });
  }

  /**
   * A node's workers stopped, or the node left the cluster: whatever it was sent may be lost there,
   * so every request out is sent again now.
   */
  private void sendAgain(String node) {
    if (!out.isEmpty()) {
      log.debug(
          "The workers of node {} stopped or left: sending the {} request(s) out again",
          node,
          out.size());
      new ArrayList<>(out).forEach(attempt -> attempt.answer.tryFail(new WorkersLeft()));
    }
  }

  /**
   * The failure of a try that was out when a node's workers stopped or left: sent again, it is not
   * an error.
   */
  private static final class WorkersLeft extends RuntimeException {
    WorkersLeft() {
      super("a node's workers stopped or left", null, false, false);
    }
  }

  private List<ByteBuf> takeUppers(Message<Pieces> answer) {
    fallback.workerAnswered();
    return answer.body().takeUppers();
  }
}
