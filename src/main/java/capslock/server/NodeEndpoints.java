package capslock.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;

/**
 * The endpoints serving on this node (one per instance of {@code -instances N}), so that its
 * workers outlive them at a stop. Vert.x stops a node's verticles together: the endpoints then
 * finish the requests in hand, and a worker that took its name off the address meanwhile dropped
 * their pieces without a word, which waited for their time-out (2 s) and were upper-cased locally,
 * with a warning, while the stop waited for them. One per deployment of {@link MainVerticle} (its
 * instances share it), told by the endpoints' event loops and asked by the workers.
 */
final class NodeEndpoints implements Shareable {

  /**
   * The longest the workers wait: what the endpoints may take to stop, and a second more, in case
   * one never says it has (its start was cancelled by the stop itself).
   */
  static final Duration LONGEST_WAIT =
      EndpointsVerticle.SHUTDOWN_GRACE.plusMillis(TcpConnection.LINGER_MS).plusSeconds(1);

  private final Promise<Void> allStopped = Promise.promise();
  private int serving;

  /** An instance's endpoints serve: the workers wait for them at a stop. */
  synchronized void started() {
    serving++;
  }

  /** An instance's endpoints have stopped, every reply they owed sent or given up. */
  void stopped() {
    boolean last;
    synchronized (this) {
      last = --serving == 0;
    }
    if (last) {
      allStopped.tryComplete();
    }
  }

  /**
   * Done once no endpoints serve on this node (at once when none do), or failed after {@link
   * #LONGEST_WAIT}.
   */
  synchronized Future<Void> allStopped() {
    return serving == 0 ? Future.succeededFuture() : allStopped.future().timeout(LONGEST_WAIT);
  }
}
