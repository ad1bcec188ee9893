package capslock.worker;

import capslock.text.Utf8Upper;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * The uppercase worker: answers each message of {@link Pieces} sent to {@link Uppercase#ADDRESS}
 * with their upper cases, in the same order. Stateless, so any number of instances (on any
 * node) can serve; deployed with the worker threading model, so the work never runs on an
 * event loop.
 */
public final class UppercaseVerticle extends VerticleBase {

  private final LongAdder piecesUpperCased;

  /** @param piecesUpperCased counts the pieces answered, shared by all instances of one deployment */
  public UppercaseVerticle(LongAdder piecesUpperCased) {
    this.piecesUpperCased = piecesUpperCased;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus()
        .<Pieces>consumer(Uppercase.ADDRESS, request -> {
          Pieces upper = upper(request.body());
          piecesUpperCased.add(upper.list().size()); // counted before the reply, so a client never sees it first
          request.reply(upper);
        })
        .completion();
  }

  static Pieces upper(Pieces pieces) {
    return new Pieces(pieces.list().stream().map(UppercaseVerticle::upper).toList());
  }

  static Buffer upper(Buffer text) {
    return Buffer.buffer(Utf8Upper.apply(text.getBytes()));
  }
}
