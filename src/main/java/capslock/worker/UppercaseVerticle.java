package capslock.worker;

import capslock.text.Utf8Upper;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The uppercase worker: answers each {@link Pieces} request sent to {@link Uppercase#ADDRESS} with
 * their upper cases, in the same order: as the request's reply, or sent to the consumer the request
 * names (see {@link WorkerRequests}). Stateless, so any number of instances (on any node) can
 * serve; deployed with the worker threading model, so the work never runs on an event loop.
 */
public final class UppercaseVerticle extends VerticleBase {

  /** Upper-cased once as the worker starts: its case table is built then, not for a client. */
  private static final byte[] FIRST_TEXT = "straße".getBytes(StandardCharsets.UTF_8);

  private final IntConsumer piecesUpperCased;
  private final Supplier<Future<?>> sendersStopped;
  private final UpperCasing upperCasing = new UpperCasing();
  private MessageConsumer<Pieces> consumer;

  /**
   * A worker that stops at once when asked.
   *
   * @param piecesUpperCased told how many pieces each answer holds (it counts them; any thread)
   */
  public UppercaseVerticle(IntConsumer piecesUpperCased) {
    this(piecesUpperCased, Future::succeededFuture);
  }

  /**
   * A worker that, asked to stop, first waits for its node's own senders.
   *
   * @param sendersStopped done (or failed) once the node's endpoints have stopped, having sent
   *     their clients what they owed them
   */
  public UppercaseVerticle(IntConsumer piecesUpperCased, Supplier<Future<?>> sendersStopped) {
    this.piecesUpperCased = piecesUpperCased;
    this.sendersStopped = sendersStopped;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Uppercase.ADDRESS, this::answer);
    // The case table is built on first use (tens of ms): right after the start, on this worker's
    // thread, so that neither the start nor the first client's round trip waits for it.
    context.runOnContext(first -> Utf8Upper.apply(FIRST_TEXT));
    return consumer.completion();
  }

  /**
   * A stopping worker takes its name off the address, in the whole cluster, once its node's own
   * senders have stopped. Vert.x stops a node's verticles together, and the endpoints are then
   * still finishing the requests in hand: a worker that left first dropped their pieces, which
   * waited for their time-out and were upper-cased locally. (What still reaches the node after
   * that, or waited in this consumer, is dropped by Vert.x without a word to its sender: the node
   * then tells the senders to send again what they have out, see {@link Uppercase#WORKERS_LEFT}.)
   */
  @Override
  public Future<?> stop() {
    return Future.fromCompletionStage(sendersStopped.get().toCompletionStage(), context)
        .eventually(() -> consumer.unregister());
  }

  private void answer(Message<Pieces> request) {
    Pieces pieces = request.body();
    if (!pieces.start()) {
      return; // its sender gave up on it before it was our turn: nothing to answer
    }
    if (pieces.finish(upperCasing.of(pieces.texts(), pieces.fromWire()))) {
      // counted before the reply, so a client never sees it first
      piecesUpperCased.accept(pieces.size());
      if (pieces.replyTo() == null) {
        request.reply(pieces);
      } else {
        vertx.eventBus().send(pieces.replyTo(), pieces);
      }
    }
  }
}
