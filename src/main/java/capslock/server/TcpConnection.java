package capslock.server;

import static capslock.server.ConnectionEvents.isEndOfInput;

import capslock.limits.HeldBytes;
import capslock.metrics.Occurrences;
import capslock.metrics.Traffic;
import capslock.metrics.TrafficFeed;
import capslock.text.SplitCharacter;
import capslock.worker.Uppercase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's TCP connection: a stream transform. Each read becomes a piece of text for the
 * uppercase workers, as it came off the socket (a pooled buffer, no copy), less up to 3 bytes of a
 * character split across reads, which wait for the next read. Replies may come back from the
 * workers in any order; they are written in input order, and the replies ready in one turn of the
 * event loop go out with one flush, so that what a client sent with one write comes back in one
 * piece. Everything here runs on the connection's event loop, so nothing is locked.
 */
final class TcpConnection {

  /**
   * What the pieces not yet answered may hold, above which the connection stops reading: memory per
   * client stays bounded. A piece holds the whole buffer it was read into, which it keeps alive.
   */
  static final int MAX_UNANSWERED_BYTES = 256 * 1024;

  /**
   * What each piece costs against that bound besides the buffer it was read into: its future, its
   * places in the queues, its request's share. Counted by its bytes alone, a client that writes a
   * byte at a time while the workers are slow could have 262,144 pieces waiting, about 100 MB.
   */
  static final int PIECE_COST_BYTES = 512;

  /**
   * How long a stopping server waits, once a connection's replies are written, for them to go out
   * and for the client's own end (reading and dropping what it still sends): a client that does not
   * read, or does not close, holds the stop no longer.
   */
  static final long LINGER_MS = 2_000;

  private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);

  /**
   * Where the connection is. {@code PAUSED}: not reading, until the client takes its replies or the
   * workers catch up. {@code INPUT_ENDED}: no more input (the client half-closed, or the server is
   * stopping and reads no more): the replies owed are written. {@code FINISHING}: they are, and the
   * FIN follows once they are out; the connection closes once the client has ended too, and until
   * then what it sends is read and dropped (a stopping server waits {@link #LINGER_MS} at most):
   * closed with input unread, it would be reset, and a reset destroys the replies the client has
   * not read yet.
   */
  private enum State {
    READING,
    PAUSED,
    INPUT_ENDED,
    FINISHING,
    CLOSED
  }

  /**
   * A piece of the input sent to the workers, and its reply to come; {@code seen} is what the
   * dashboard's traffic feed keeps of it, null unless {@code http.showTraffic}.
   */
  private record Pending(int cost, Future<ByteBuf> reply, TrafficFeed.Request seen) {}

  private final NetSocketInternal socket;
  private final ChannelHandlerContext
      channel; // Vert.x's own handler's place in the pipeline: replies start there
  private final Context context;
  private final EndOfTurn endOfTurn;
  private final Runnable flush = this::flushReplies;
  private final Uppercase uppercase;
  private final Traffic traffic;
  private final HeldBytes nodeHeld; // what all the node's connections hold, against its bound
  private final Occurrences endedInputResets; // the endpoint's, said once a minute
  private final ReadBuffers reads;
  private final SplitCharacter split = new SplitCharacter();
  private final Deque<Pending> pending = new ArrayDeque<>();
  // replies answered, in order, written at the end of the turn
  private final Deque<ByteBuf> unwritten = new ArrayDeque<>();
  private final Promise<Void> whenClosed = Promise.promise();
  private State state = State.READING;
  private boolean clientEnded; // its FIN came
  private boolean finSent; // ours went, after every reply
  private boolean stopping; // the server is
  private long lingering = -1; // the timer that ends a stopping server's wait
  private boolean flushScheduled;
  private int unansweredCost;
  private long unsentBytes; // replies answered, not yet known to have gone
  private long unwrittenBytes; // of which still in unwritten
  private long bytesIn;
  private long bytesOut;

  /**
   * A connection that serves {@code socket} once {@link #serve()} is called. What it holds counts
   * in {@code nodeHeld}, the node's; its reset for want of room is counted in {@code
   * endedInputResets}, the endpoint's, used on the event loop of {@code context}, where {@code
   * endOfTurn} flushes its replies.
   */
  TcpConnection(
      NetSocket socket,
      Context context,
      EndOfTurn endOfTurn,
      Uppercase uppercase,
      Traffic traffic,
      HeldBytes nodeHeld,
      Occurrences endedInputResets) {
    this.socket = (NetSocketInternal) socket;
    this.channel = this.socket.channelHandlerContext();
    this.context = context;
    this.endOfTurn = endOfTurn;
    this.uppercase = uppercase;
    this.traffic = traffic;
    this.nodeHeld = nodeHeld;
    this.endedInputResets = endedInputResets;
    this.reads = ReadBuffers.use(channel.channel(), nodeHeld);
  }

  /** Serves the socket until it closes: the future completes then. */
  Future<Void> serve() {
    log.debug("TCP connection from {} opened", socket.remoteAddress());
    traffic.tcpConnectionOpened();
    ConnectionEvents.listen(socket, this::onIdle, this::updateFlow);
    socket.messageHandler(this::onMessage); // the buffers as read, not Vert.x's copies of them
    socket
        .shutdownHandler(grace -> stop())
        .exceptionHandler(
            failure ->
                log.debug(
                    "TCP connection from {}: {}", socket.remoteAddress(), failure.getMessage()))
        .closeHandler(done -> onClosed());
    return whenClosed.future();
  }

  private void onMessage(Object message) {
    if (state == State.FINISHING || state == State.INPUT_ENDED) {
      // no more input: the client's end came, or the server is stopping and what still comes (the
      // rest of a read) is dropped
      if (message instanceof ByteBuf last && isEndOfInput(last)) {
        clientEnded = true;
        if (finSent) {
          close();
        }
      }
      ReferenceCountUtil.release(message);
      return;
    }
    if (!(message instanceof ByteBuf bytes) || state == State.CLOSED) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (isEndOfInput(bytes)) {
      log.debug("TCP client {} finished sending", socket.remoteAddress());
      clientEnded = true;
      endInput();
      return;
    }
    if (state == State.PAUSED && reads.drainsWhilePaused() && nodeHeld.full()) {
      bytes.release();
      resetEndedInput();
      return;
    }
    int length = bytes.readableBytes();
    bytesIn += length;
    traffic.tcpBytesIn(length);
    // the buffer read into, often partly: it stays whole while its piece waits (counted by their
    // bytes alone, five thousand clients flooding made the node hold three times its bound)
    int kept = bytes.capacity();
    if (split.takesWhole(bytes.getByte(bytes.writerIndex() - 1))) {
      upperCase(bytes, kept);
      return;
    }
    SplitCharacter.Cut cut = split.next(bytes.nioBuffer());
    if (cut.before() != null) {
      upperCase(Unpooled.wrappedBuffer(cut.before()), cut.before().length);
    }
    if (cut.start() == 0 && cut.end() == length) {
      upperCase(bytes, kept);
    } else {
      if (cut.end() > cut.start()) {
        upperCase(
            bytes.retainedSlice(bytes.readerIndex() + cut.start(), cut.end() - cut.start()), kept);
      }
      bytes.release();
    }
  }

  /** Asks for {@code piece}'s upper case; it keeps {@code kept} bytes of memory until answered. */
  private void upperCase(ByteBuf piece, int kept) {
    traffic.tcpPiece();
    TrafficFeed.Request seen =
        traffic.request("TCP", (InetSocketAddress) channel.channel().remoteAddress(), piece);
    enqueue(kept + PIECE_COST_BYTES, uppercase.apply(piece), seen);
  }

  /**
   * Idle for {@code tcp.idleTimeoutSeconds}: Vert.x closes the channel next, dropping what is not
   * flushed by then. The start of a character held back goes first, as it came (as at a
   * half-close): the client sent it.
   */
  private void onIdle() {
    traffic.tcpIdleClose();
    log.debug(
        "TCP connection from {} idle for tcp.idleTimeoutSeconds: closing it",
        socket.remoteAddress());
    byte[] rest = split.rest();
    if (rest.length > 0 && (state == State.READING || state == State.PAUSED)) {
      enqueue(rest.length, Future.succeededFuture(Unpooled.wrappedBuffer(rest)), null);
      flushReplies();
    }
  }

  /**
   * The client ended its side (a FIN or a reset) while the connection was paused, and the node
   * holds its bound: Netty now reads to its end all the kernel holds for it, paused or not, which
   * the node has no room for. The connection is reset, unread: a client that reset it cannot be
   * answered anyway, and one that half-closed it learns that its input was not all answered.
   */
  private void resetEndedInput() {
    state = State.CLOSED;
    traffic.tcpEndedInputReset();
    endedInputResets.countOne(
        resets ->
            log.warn(
                "TCP connection from {} reset with its input unread ({} such since the last such"
                    + " line): its client ended its side while the connection was paused, and"
                    + " the node was full: {}",
                socket.remoteAddress(),
                resets,
                nodeHeld.describe()));
    // a reset, not a FIN, and at once: the socket's close would wait for the replies to go
    channel.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    channel.channel().close();
  }

  /** The server is stopping: what came is answered, then the connection ends. */
  private void stop() {
    stopping = true;
    if (state == State.FINISHING) {
      lingerAtMost();
    } else {
      endInput();
    }
  }

  /**
   * No more input (the client half-closed, or the server is stopping): answer what is owed, then
   * end.
   */
  private void endInput() {
    if (state != State.READING && state != State.PAUSED) {
      return;
    }
    pauseReading(); // a stopping server reads no more
    reads.readToDrop(); // what comes now (the rest of a read) is dropped
    state = State.INPUT_ENDED;
    byte[] rest = split.rest();
    if (rest.length > 0) { // an incomplete character goes back as it came
      enqueue(rest.length, Future.succeededFuture(Unpooled.wrappedBuffer(rest)), null);
    }
    writeAnswered();
  }

  private void enqueue(int cost, Future<ByteBuf> reply, TrafficFeed.Request seen) {
    unansweredCost += cost;
    nodeHeld.add(cost);
    pending.add(new Pending(cost, reply, seen));
    reply.onComplete(done -> writeAnswered());
    updateFlow();
  }

  /** Writes the replies that are ready, in input order: a reply waits for every earlier one. */
  private void writeAnswered() {
    while (!pending.isEmpty() && pending.peek().reply().isComplete()) {
      Pending answered = pending.poll();
      unansweredCost -= answered.cost();
      nodeHeld.add(-answered.cost());
      if (answered
          .reply()
          .failed()) { // only when Vert.x itself is closing: nothing more can be answered
        log.debug(
            "TCP connection from {}: no reply ({}); closing",
            socket.remoteAddress(),
            answered.reply().cause().getMessage());
        close();
        continue;
      }
      ByteBuf reply = answered.reply().result();
      if (state == State.CLOSED) {
        reply.release();
        continue;
      }
      int length = reply.readableBytes();
      bytesOut += length;
      traffic.tcpBytesOut(length);
      traffic.replied(answered.seen(), reply);
      unsentBytes += length;
      unwrittenBytes += length;
      nodeHeld.add(length);
      unwritten.add(reply);
      scheduleFlush();
    }
    if (state == State.INPUT_ENDED && pending.isEmpty()) {
      finish();
    }
    updateFlow();
  }

  /**
   * Every reply owed is written: the FIN goes once they are out (Vert.x's own end would drop what
   * is still queued once the server stops), and the connection closes once the client has ended
   * too. Until then what it sends is read and dropped.
   */
  private void finish() {
    state = State.FINISHING;
    flushReplies();
    if (stopping) {
      lingerAtMost();
    }
    channel
        .writeAndFlush(Unpooled.EMPTY_BUFFER) // done once every reply before it is out
        .addListener(written -> sendFin(written.isSuccess()));
    resumeReading();
  }

  private void sendFin(boolean repliesOut) {
    if (!repliesOut) {
      close();
      return;
    }
    ((DuplexChannel) channel.channel())
        .shutdownOutput()
        .addListener(
            fin -> {
              finSent = true;
              if (!fin.isSuccess() || clientEnded) {
                close();
              }
            });
  }

  private void lingerAtMost() {
    if (lingering < 0) {
      lingering = context.owner().setTimer(LINGER_MS, late -> close());
    }
  }

  private void close() {
    socket.shutdownHandler(null); // while one is set, Vert.x hands a close to it instead
    socket.close();
  }

  /**
   * One write and flush, at the end of this turn of the event loop, for all the replies answered in
   * it, whichever batch they came in.
   */
  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      endOfTurn.run(flush);
    }
  }

  /**
   * Writes and flushes the replies answered, and counts them gone once they are (the last one is
   * written then), or once they never will be: the connection closed. Only the last write asks to
   * be told when it is done: one listener per flush, not per reply (Vert.x's idle-timeout handler,
   * when on, still gives each write a promise of its own). Called at the end of the turn, or at
   * once (an idle close, the input's end), when the end of the turn then finds nothing left to
   * write.
   */
  @SuppressWarnings("FutureReturnValueIgnored") // the void promise's failure reaches the pipeline
  private void flushReplies() {
    flushScheduled = false;
    ByteBuf last = unwritten.pollLast();
    if (last != null) {
      for (ByteBuf reply = unwritten.poll(); reply != null; reply = unwritten.poll()) {
        channel.write(reply, channel.voidPromise());
      }
      long flushed = unwrittenBytes;
      unwrittenBytes = 0;
      channel
          .write(last)
          .addListener(
              gone -> {
                unsentBytes -= flushed;
                nodeHeld.add(-flushed);
                updateFlow();
              });
    }
    channel.flush();
    // the node may have filled since these replies were answered: the turn answered others too
    updateFlow();
  }

  /**
   * Reads only while little is unanswered and the client takes its replies (back-pressure), and,
   * while the node holds its bound, only once what this connection holds has gone.
   */
  private void updateFlow() {
    if (state != State.READING && state != State.PAUSED) {
      return;
    }
    boolean holds = unansweredCost > 0 || unsentBytes > 0;
    boolean stop =
        unansweredCost >= MAX_UNANSWERED_BYTES
            || !channel.channel().isWritable()
            || holds && nodeHeld.full();
    if (stop && state == State.READING) {
      state = State.PAUSED;
      traffic.tcpBackPressurePause();
      pauseReading();
    } else if (!stop && state == State.PAUSED) {
      state = State.READING;
      resumeReading();
    }
  }

  /**
   * Stops reading from the socket itself, after the read at hand. Vert.x's own pause would only
   * hold back what it reads, and read on, eight reads and more into its queue before it stops,
   * which a thousand paused clients make more than the direct memory; and it turns the socket's
   * reading back on as its queue empties, so it is not used at all.
   */
  private void pauseReading() {
    channel.channel().config().setAutoRead(false);
  }

  private void resumeReading() {
    channel.channel().config().setAutoRead(true);
  }

  private void onClosed() {
    state = State.CLOSED;
    if (lingering >= 0) {
      context.owner().cancelTimer(lingering);
    }
    traffic.tcpConnectionClosed();
    whenClosed.complete();
    log.debug(
        "TCP connection from {} closed: {} bytes in, {} bytes out",
        socket.remoteAddress(),
        bytesIn,
        bytesOut);
  }
}
