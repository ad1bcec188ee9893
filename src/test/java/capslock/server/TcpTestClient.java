package capslock.server;

import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real Vert.x TCP client, with what the tests need that NetSocket lacks: half-close, and reading
 * an exact count. Its methods may be called from any thread, the test's own included: a test can
 * await each step in turn.
 */
final class TcpTestClient {

  // held, never read: Vert.x closes a client, and its connections, once it is unreachable
  @SuppressWarnings("UnusedVariable")
  private final NetClient client;

  private final NetSocket socket;
  private final Context context;
  private final Buffer received = Buffer.buffer(); // guarded by this
  private final Promise<Buffer> closed = Promise.promise();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private Promise<Buffer> waiting; // guarded by this
  private int waitingFor; // guarded by this

  private TcpTestClient(NetClient client, NetSocket socket, Context context) {
    this.client = client;
    this.socket = socket;
    this.context = context;
    socket.handler(this::onBytes);
    socket.exceptionHandler(failures::add);
    socket.closeHandler(done -> closed.tryComplete(receivedSoFar()));
  }

  static Future<TcpTestClient> connect(Vertx vertx, int port) {
    return connect(vertx, port, new NetClientOptions());
  }

  static Future<TcpTestClient> connect(Vertx vertx, int port, NetClientOptions options) {
    NetClient client = vertx.createNetClient(options);
    Context context = vertx.getOrCreateContext();
    Promise<TcpTestClient> connected = Promise.promise();
    // connected from the connection's own event loop, so its handlers are set in the turn that
    // connects, before any byte or close can come (from a test's thread, a server that closes at
    // once could close before them, and the close would go unseen)
    context.runOnContext(
        onTheLoop ->
            client
                .connect(port, "127.0.0.1")
                .map(socket -> new TcpTestClient(client, socket, context))
                .onComplete(connected));
    return connected.future();
  }

  /**
   * Connects, sends each piece as its own write, half-closes, and gives all that came back before
   * the server closed.
   */
  static Future<Buffer> exchange(Vertx vertx, int port, List<Buffer> pieces) {
    return connect(vertx, port)
        .compose(
            client ->
                client
                    .send(pieces)
                    .compose(sent -> client.finishSending())
                    .compose(finished -> client.closed()));
  }

  /** {@code input} in pieces of {@code size} bytes (the last may be shorter), each a write. */
  static List<Buffer> cut(byte[] input, int size) {
    List<Buffer> pieces = new ArrayList<>();
    for (int at = 0; at < input.length; at += size) {
      pieces.add(Buffer.buffer(Arrays.copyOfRange(input, at, Math.min(input.length, at + size))));
    }
    return pieces;
  }

  NetSocket socket() {
    return socket;
  }

  /**
   * The context the connection's handlers run on: what uses the socket's handlers runs there too.
   */
  Context context() {
    return context;
  }

  /** Writes the pieces one after another, each once the previous one is on its way. */
  Future<Void> send(List<Buffer> pieces) {
    return sendEach(pieces.iterator());
  }

  Future<Void> send(Buffer bytes) {
    return socket.write(bytes);
  }

  /** Completes once {@code total} bytes have been received since the connection opened. */
  Future<Buffer> received(int total) {
    Promise<Buffer> promise = Promise.promise();
    synchronized (this) {
      waiting = promise;
      waitingFor = total;
    }
    onBytes(Buffer.buffer()); // may complete it at once, with what came already
    return promise.future();
  }

  /** What went wrong on the connection, such as a reset: none for one that ended well. */
  List<Throwable> failures() {
    return failures;
  }

  /** Completes with everything received once the server has closed the connection. */
  Future<Buffer> closed() {
    return closed.future();
  }

  /** Shuts down the sending side only (a TCP half-close): the server sees the end of the input. */
  Future<Void> finishSending() {
    Promise<Void> done = Promise.promise();
    DuplexChannel channel =
        (DuplexChannel) ((NetSocketInternal) socket).channelHandlerContext().channel();
    channel
        .shutdownOutput()
        .addListener(
            future -> {
              if (future.isSuccess()) {
                done.complete();
              } else {
                done.fail(future.cause());
              }
            });
    return done.future();
  }

  private Future<Void> sendEach(Iterator<Buffer> pieces) {
    return pieces.hasNext()
        ? socket.write(pieces.next()).compose(written -> sendEach(pieces))
        : Future.succeededFuture();
  }

  private void onBytes(Buffer bytes) {
    Promise<Buffer> done = null;
    Buffer soFar = null;
    synchronized (this) {
      received.appendBuffer(bytes);
      if (waiting != null && received.length() >= waitingFor) {
        done = waiting;
        waiting = null;
        soFar = received.copy();
      }
    }
    if (done != null) {
      done.complete(soFar);
    }
  }

  private synchronized Buffer receivedSoFar() {
    return received.copy();
  }
}
