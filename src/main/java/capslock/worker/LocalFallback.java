package capslock.worker;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When no uppercase worker answers (none deployed, or every worker node gone), the endpoints' node
 * upper-cases the pieces itself, on a thread of Vert.x's worker pool, never on an event loop. Said
 * once in the log per outage, and counted.
 */
final class LocalFallback {

  private static final Logger log = LoggerFactory.getLogger(LocalFallback.class);

  private final Vertx vertx;
  private final UppercaseEvents events;
  private boolean inUse; // touched on the endpoints' event loop only

  LocalFallback(Vertx vertx, UppercaseEvents events) {
    this.vertx = vertx;
    this.events = events;
  }

  /**
   * The upper cases of {@code texts}, which stay the caller's; {@code why} is what the workers
   * said.
   */
  Future<List<ByteBuf>> upperCase(List<ByteBuf> texts, Throwable why) {
    if (!inUse) {
      inUse = true;
      log.warn(
          "No uppercase worker answered ({}); upper-casing locally until one does",
          why.getMessage());
    }
    events.upperCasedLocally(texts.size());
    // unordered, so calls may run at once, each with its own scratch arrays: the callers keep
    // their own order of replies
    return vertx.executeBlocking(() -> new UpperCasing().of(texts, false), false);
  }

  /** A worker answered: if the endpoints were upper-casing locally, say that this is over. */
  void workerAnswered() {
    if (inUse) {
      inUse = false;
      log.info("An uppercase worker answers again; all text goes to the workers once more");
    }
  }

  /** Whether the last requests found no worker. */
  boolean inUse() {
    return inUse;
  }
}
