package capslock.server;

import capslock.metrics.Traffic;
import capslock.metrics.TrafficFeed;
import capslock.text.Utf8Upper;
import capslock.worker.Uppercase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's TCP connection: a stream transform. Each read becomes one piece of text for
 * the uppercase workers, less up to 3 bytes of a character split across reads, which wait
 * for the next read. Replies may come back from the workers in any order; they are written
 * in input order. Everything here runs on the connection's event loop, so nothing is locked.
 */
final class TcpConnection {

  /** Bytes read but not yet answered above which the connection stops reading: memory per client stays bounded. */
  static final int MAX_UNANSWERED_BYTES = 256 * 1024;

  private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);

  /**
   * A piece of the input sent to the workers, and its reply to come; {@code seen} is what the
   * dashboard's traffic feed keeps of it, null unless {@code http.showTraffic}.
   */
  private record Pending(int length, Future<Buffer> reply, TrafficFeed.Request seen) {
  }

  private final NetSocket socket;
  private final Uppercase uppercase;
  private final Traffic traffic;
  private final Deque<Pending> pending = new ArrayDeque<>();
  private final Promise<Void> whenClosed = Promise.promise();
  private Buffer heldBack; // the start of a character split across reads, or null
  private int unansweredBytes;
  private boolean inputEnded;
  private boolean ending;
  private boolean paused;
  private boolean closed;
  private long bytesIn;
  private long bytesOut;

  private TcpConnection(NetSocket socket, Uppercase uppercase, Traffic traffic) {
    this.socket = socket;
    this.uppercase = uppercase;
    this.traffic = traffic;
  }

  /** Serves {@code socket} until it closes: the future completes then. */
  static Future<Void> serve(NetSocket socket, Uppercase uppercase, Traffic traffic) {
    return new TcpConnection(socket, uppercase, traffic).start();
  }

  private Future<Void> start() {
    log.debug("TCP connection from {} opened", socket.remoteAddress());
    traffic.tcpConnectionsOpened.increment();
    EndOfInput.markOn(socket, () -> {
      traffic.tcpIdleCloses.increment();
      log.debug("TCP connection from {} idle for tcp.idleTimeoutSeconds: closing it", socket.remoteAddress());
    });
    socket.handler(this::onBytes)
        .drainHandler(drained -> updateFlow())
        .shutdownHandler(grace -> endInput()) // the server is stopping: answer what came, then close
        .exceptionHandler(failure -> log.debug("TCP connection from {}: {}", socket.remoteAddress(), failure.getMessage()))
        .closeHandler(done -> onClosed());
    return whenClosed.future();
  }

  private void onBytes(Buffer bytes) {
    if (EndOfInput.isMark(bytes)) {
      log.debug("TCP client {} finished sending", socket.remoteAddress());
      endInput();
      return;
    }
    bytesIn += bytes.length();
    traffic.tcpBytesIn.add(bytes.length());
    Buffer text = heldBack == null ? bytes : heldBack.appendBuffer(bytes);
    int end = text.length();
    int held = Utf8Upper.incompleteTail(text.getBytes(Math.max(0, end - Utf8Upper.MAX_HELD_BACK), end));
    heldBack = held == 0 ? null : text.getBuffer(end - held, end);
    if (end > held) {
      Buffer piece = held == 0 ? text : text.getBuffer(0, end - held);
      traffic.tcpPieces.increment();
      // traffic feed (http.showTraffic): noted before the workers see the piece
      TrafficFeed.Request seen = traffic.feed == null ? null : traffic.feed.request("TCP", socket.remoteAddress(), piece);
      enqueue(piece.length(), uppercase.apply(piece), seen);
    }
  }

  /** No more input (the client half-closed, or the server is stopping): answer what is owed, then close. */
  private void endInput() {
    if (inputEnded) {
      return;
    }
    inputEnded = true;
    if (heldBack != null) {
      enqueue(heldBack.length(), Future.succeededFuture(heldBack), null); // an incomplete character goes back as it came
      heldBack = null;
    }
    writeAnswered();
  }

  private void enqueue(int length, Future<Buffer> reply, TrafficFeed.Request seen) {
    unansweredBytes += length;
    pending.add(new Pending(length, reply, seen));
    reply.onComplete(done -> writeAnswered());
    updateFlow();
  }

  /** Writes the replies that are ready, in input order: a reply waits for every earlier one. */
  private void writeAnswered() {
    while (!pending.isEmpty() && pending.peek().reply().isComplete()) {
      Pending answered = pending.poll();
      unansweredBytes -= answered.length();
      if (answered.reply().failed()) { // only when Vert.x itself is closing: nothing more can be answered
        log.debug("TCP connection from {}: no reply ({}); closing", socket.remoteAddress(), answered.reply().cause().getMessage());
        socket.close();
        closed = true;
        continue;
      }
      Buffer reply = answered.reply().result();
      if (!closed) {
        socket.write(reply);
        bytesOut += reply.length();
        traffic.tcpBytesOut.add(reply.length());
        if (answered.seen() != null) { // traffic feed (http.showTraffic)
          traffic.feed.replied(answered.seen(), reply);
        }
      }
    }
    if (inputEnded && pending.isEmpty() && !ending) {
      ending = true;
      socket.shutdownHandler(null); // while one is set, Vert.x hands a close to it instead of closing
      socket.end(); // sends what is queued, then the FIN
    }
    updateFlow();
  }

  /** Reads only while little is unanswered and the client takes its replies (back-pressure). */
  private void updateFlow() {
    boolean stop = inputEnded || unansweredBytes >= MAX_UNANSWERED_BYTES || socket.writeQueueFull();
    if (stop != paused) {
      paused = stop;
      if (stop) {
        if (!inputEnded) {
          traffic.tcpBackPressurePauses.increment();
        }
        socket.pause();
      } else {
        socket.resume();
      }
    }
  }

  private void onClosed() {
    closed = true;
    traffic.tcpConnectionsClosed.increment();
    whenClosed.complete();
    log.debug("TCP connection from {} closed: {} bytes in, {} bytes out", socket.remoteAddress(), bytesIn, bytesOut);
  }
}
