package capslock.worker;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The endpoints' way to the uppercase workers, one per endpoints verticle, used from its event loop
 * only. Pieces of text travel to the workers together, as one event-bus request: those asked for in
 * one turn of the event loop, and those asked for while as many requests as there are workers are
 * already out. An idle server sends a piece at once, at the end of the turn that read it; a busy
 * one sends fewer, larger requests, so the hand-offs between threads (the real cost of the
 * event-bus hop) stay few per piece. Nothing here waits for a timer.
 *
 * <p>A reply never fails for want of a worker ({@link WorkerRequests}). The order of replies is the
 * callers' affair: they queue their futures.
 */
public final class Uppercase {

  /** The event-bus address the workers consume. */
  public static final String ADDRESS = "capslock.uppercase";

  /**
   * Where a node hears that another node's workers take no more requests: from its cluster manager
   * when a node has left (stopped or dead), and from a workers node itself as it stops. A request
   * sent to a workers node as it stops or dies may never be answered, so every request out is then
   * sent again at once rather than after its timeout.
   */
  public static final String WORKERS_LEFT = "capslock.uppercase.workers-left";

  private final Context context;
  private final WorkerRequests requests;
  private final int maxRequestsOut;
  private final UppercaseEvents events;
  private List<ByteBuf> batch = new ArrayList<>();
  private List<Promise<ByteBuf>> replies = new ArrayList<>();
  private int requestsOut;
  private boolean sendScheduled;

  /**
   * Created in the verticle that uses it: its requests go out from that verticle's context.
   *
   * @param maxRequestsOut how many requests may wait for the workers at once (one per worker keeps
   *     them all busy)
   * @param events told of each request's time, each retry and each piece upper-cased locally
   */
  public Uppercase(Vertx vertx, int maxRequestsOut, UppercaseEvents events) {
    this.context = vertx.getOrCreateContext();
    this.requests = new WorkerRequests(vertx, events);
    this.maxRequestsOut = maxRequestsOut;
    this.events = events;
  }

  /**
   * The upper case of {@code text}, from a worker (or from here when none answers). The caller
   * hands {@code text} over (it is released here) and owns the upper case it gets; the future fails
   * only while Vert.x itself closes.
   */
  public Future<ByteBuf> apply(ByteBuf text) {
    Promise<ByteBuf> reply = Promise.promise();
    batch.add(text);
    replies.add(reply);
    if (!sendScheduled && requestsOut < maxRequestsOut) {
      sendScheduled = true;
      context.runOnContext(endOfTurn -> send());
    }
    return reply.future();
  }

  /**
   * The endpoints that use this have stopped, and their connections are closed: what is still asked
   * for is released, and its futures fail. Called on the endpoints' event loop.
   */
  public void close() {
    List<ByteBuf> unsent = batch;
    List<Promise<ByteBuf>> unanswered = replies;
    batch = new ArrayList<>();
    replies = new ArrayList<>();
    Pieces.release(unsent);
    unanswered.forEach(reply -> reply.fail("the endpoints stopped"));
    requests.close();
  }

  private void send() {
    sendScheduled = false;
    if (batch.isEmpty() || requestsOut >= maxRequestsOut) {
      return;
    }
    requestsOut++;
    List<ByteBuf> texts = batch;
    List<Promise<ByteBuf>> waiting = replies;
    // the next batch sized like this one: a busy loop's batches are alike, and a list that grows
    // copies itself at each step
    batch = new ArrayList<>(texts.size());
    replies = new ArrayList<>(texts.size());
    long sentAt = System.nanoTime();
    requests
        .upperCase(texts)
        .onComplete(
            upper -> {
              events.replied(System.nanoTime() - sentAt);
              requestsOut--;
              for (int i = 0; i < waiting.size(); i++) {
                if (upper.succeeded()) {
                  waiting.get(i).complete(upper.result().get(i));
                } else {
                  waiting.get(i).fail(upper.cause()); // only when Vert.x itself is closing
                }
              }
              send(); // what was asked for meanwhile
            });
  }
}
