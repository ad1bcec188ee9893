package capslock.worker;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.function.IntConsumer;

/**
 * The uppercase worker: answers each {@link Pieces} request sent to {@link Uppercase#ADDRESS}
 * with their upper cases, in the same order. Stateless, so any number of instances (on any
 * node) can serve; deployed with the worker threading model, so the work never runs on an
 * event loop.
 */
public final class UppercaseVerticle extends VerticleBase {

  private final IntConsumer piecesUpperCased;

  /** @param piecesUpperCased told how many pieces each answer holds (it counts them; any thread) */
  public UppercaseVerticle(IntConsumer piecesUpperCased) {
    this.piecesUpperCased = piecesUpperCased;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<Pieces>consumer(Uppercase.ADDRESS, this::answer).completion();
  }

  private void answer(Message<Pieces> request) {
    Pieces pieces = request.body();
    if (!pieces.start()) {
      return; // its sender gave up on it before it was our turn: nothing to answer
    }
    if (pieces.finish(UpperCasing.of(pieces.texts(), pieces.fromWire()))) {
      piecesUpperCased.accept(pieces.size()); // counted before the reply, so a client never sees it first
      request.reply(pieces);
    }
  }
}
