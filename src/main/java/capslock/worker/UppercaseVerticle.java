package capslock.worker;

import capslock.text.Utf8Upper;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;

/**
 * The uppercase worker: answers each piece of text sent to {@link Uppercase#ADDRESS}
 * with its upper case. Stateless, so any number of instances (on any node) can serve;
 * deployed with the worker threading model, so the work never runs on an event loop.
 */
public final class UppercaseVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return vertx.eventBus()
        .<Buffer>consumer(Uppercase.ADDRESS, request -> request.reply(upper(request.body())))
        .completion();
  }

  static Buffer upper(Buffer text) {
    return Buffer.buffer(Utf8Upper.apply(text.getBytes()));
  }
}
