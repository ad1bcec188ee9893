package capslock.bench;

import io.vertx.core.Future;

/**
 * One TCP connection or UDP socket of a load. Its state lives on its own event loop: start and stop
 * may be called from any thread, and hop there.
 */
interface LoadStream {

  /** Puts the first messages in flight; each reply then sends the next. */
  void start();

  /** Sends no more and closes; replies still in flight are not waited for. */
  Future<Void> stop();
}
