package capslock.worker;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the uppercase workers, of any node, for the upper cases of some pieces, and never fails for
 * want of a worker. Upper-casing is idempotent, so a request that fails (no worker, a timeout, a
 * worker node gone) is sent again, and the event bus picks the next worker; when no worker answers
 * {@link #TRIES} times, the pieces go to the {@link LocalFallback}. While no worker answers, one
 * try per request: a known outage costs at most one timeout.
 *
 * <p>On a node of its own (not clustered) every worker is in this JVM, and the answers come back to
 * one consumer of ours, registered once: Vert.x's request and reply would register a reply handler
 * under a new address with its own timer for every request (without them a warm ping-pong on one
 * core is 8-23 % faster: docs/PERFORMANCE.md). A request that finds no worker fails at once all the
 * same (the event bus's "no handlers"), and one timer, armed while requests are out, times them
 * out. In a cluster a worker may be on another node, and Vert.x's reply carries its answer back
 * across nodes, so there each try is a request.
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
  private static final long NO_TIMER = -1;

  /**
   * One try of a request: its pieces, and its answer to come (from a worker, a timeout, or a
   * stopping node). Each try is itself alone, so it keeps Object's identity equality: a record's
   * generated {@code hashCode} would cost the first request about 20 ms to link.
   */
  private static final class Try {
    final Pieces request;
    final Promise<Message<Pieces>> answer = Promise.promise();
    final long sentAt = System.nanoTime();

    Try(Pieces request) {
      this.request = request;
    }
  }

  private final Vertx vertx;
  private final UppercaseEvents events;
  private final LocalFallback fallback;
  // the tries out, by their requests; touched on the endpoints' event loop only
  private final Map<Pieces, Try> out = new HashMap<>();
  private final MessageProducer<Pieces> toWorkers; // null in a cluster: each try is a request
  private final String answers; // where this JVM's workers send their answers
  private long timeoutTimer = NO_TIMER;
  private boolean closed;

  /** Created on the endpoints' event loop, which then hears of the nodes that leave too. */
  WorkerRequests(Vertx vertx, UppercaseEvents events) {
    this.vertx = vertx;
    this.events = events;
    this.fallback = new LocalFallback(vertx, events);
    vertx.eventBus().<String>consumer(Uppercase.WORKERS_LEFT, left -> sendAgain(left.body()));
    if (vertx.isClustered()) {
      toWorkers = null;
      answers = null;
    } else {
      toWorkers = vertx.eventBus().sender(Uppercase.ADDRESS);
      answers = Uppercase.ADDRESS + ".answers." + UUID.randomUUID();
      vertx.eventBus().<Pieces>localConsumer(answers, this::answered);
    }
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
    Try attempt = new Try(Pieces.of(texts, answers));
    out.put(attempt.request, attempt);
    if (toWorkers == null) {
      vertx
          .eventBus()
          .<Pieces>request(Uppercase.ADDRESS, attempt.request, DELIVERY)
          .onComplete(attempt.answer::tryComplete, attempt.answer::tryFail);
    } else {
      toWorkers.write(attempt.request).onFailure(attempt.answer::tryFail); // no worker
      if (timeoutTimer == NO_TIMER) {
        timeoutTimer = vertx.setPeriodic(TRY_TIMEOUT_MS / 2, tick -> timeOut());
      }
    }
    return attempt
        .answer
        .future()
        .transform(
            answer -> {
              out.remove(attempt.request);
              List<ByteBuf> uppers = answer.succeeded() ? takeUppers(answer.result()) : null;
              // the texts, or copies if a late worker still reads them
              List<ByteBuf> ours = attempt.request.reclaim();
              if (uppers != null) {
                Pieces.release(ours);
                return Future.succeededFuture(uppers);
              }
              if (closed) { // the endpoints have stopped: nobody waits for these any more
                Pieces.release(ours);
                return Future.failedFuture(answer.cause());
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
      new ArrayList<>(out.values()).forEach(attempt -> attempt.answer.tryFail(new WorkersLeft()));
    }
  }

  /**
   * The endpoints that asked have stopped: every try out to the workers fails, is not sent again,
   * and its texts (and an answer that came too late) are released; pieces being upper-cased by the
   * local fallback finish on their own. Without this, a request that no worker answers holds its
   * buffers until its time-out, which a closing Vert.x never fires.
   */
  void close() {
    closed = true;
    if (timeoutTimer != NO_TIMER) {
      vertx.cancelTimer(timeoutTimer);
      timeoutTimer = NO_TIMER;
    }
    new ArrayList<>(out.values())
        .forEach(attempt -> attempt.answer.tryFail(new IllegalStateException("endpoints stopped")));
  }

  /** An answer to our consumer: its try's, unless that try has timed out or was sent again. */
  private void answered(Message<Pieces> answer) {
    Try attempt = out.get(answer.body());
    if (attempt != null) {
      attempt.answer.tryComplete(answer);
    }
  }

  /**
   * Fails the tries out for longer than {@link #TRY_TIMEOUT_MS} (so within 1.5 times that), and
   * stops the timer when none is out: an idle server has no timer to wake it.
   */
  private void timeOut() {
    if (out.isEmpty()) {
      vertx.cancelTimer(timeoutTimer);
      timeoutTimer = NO_TIMER;
      return;
    }
    long now = System.nanoTime();
    long timeout = TimeUnit.MILLISECONDS.toNanos(TRY_TIMEOUT_MS);
    List<Try> late = out.values().stream().filter(t -> now - t.sentAt >= timeout).toList();
    late.forEach(
        attempt ->
            attempt.answer.tryFail(
                new ReplyException(
                    ReplyFailure.TIMEOUT, "no answer from a worker in " + TRY_TIMEOUT_MS + " ms")));
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
