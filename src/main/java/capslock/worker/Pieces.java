package capslock.worker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;

/**
 * Pieces of text that travel together to the uppercase workers as one event-bus request, and their
 * upper cases, which come back in the same object as the reply.
 *
 * <p>The texts are pooled buffers owned by the endpoints that sent them; a worker only reads them.
 * Who owns what at each moment is kept here, behind one lock, so that every buffer is released
 * exactly once, also when a request times out while a worker still reads it:
 *
 * <pre>
 *   WAITING --worker starts--> WORKING --worker finishes--> ANSWERED --sender takes the uppers--> TAKEN
 *   WAITING or ANSWERED --sender reclaims (gives up)--> ABANDONED      (texts back to the sender)
 *   WORKING --sender reclaims--> ABANDONED_WHILE_WORKING               (the sender gets copies; the
 *                                                                       worker releases all when done)
 * </pre>
 *
 * Between nodes of a cluster the pieces are copied to the wire and back (see {@link PiecesCodec}):
 * each side then owns its own buffers.
 */
public final class Pieces {

  private enum State {
    WAITING,
    WORKING,
    ANSWERED,
    TAKEN,
    ABANDONED,
    ABANDONED_WHILE_WORKING
  }

  private final List<ByteBuf> texts;
  private final boolean fromWire;
  private final String replyTo;
  private List<ByteBuf> uppers;
  private State state;

  private Pieces(
      List<ByteBuf> texts, List<ByteBuf> uppers, boolean fromWire, String replyTo, State state) {
    this.texts = texts;
    this.uppers = uppers;
    this.fromWire = fromWire;
    this.replyTo = replyTo;
    this.state = state;
  }

  /**
   * A request for the upper cases of {@code texts}, which stay the sender's, answered as an
   * event-bus reply.
   */
  static Pieces of(List<ByteBuf> texts) {
    return of(texts, null);
  }

  /**
   * A request whose answer is sent to the consumer at {@code replyTo} (in this JVM), or, when it is
   * null, as an event-bus reply.
   */
  static Pieces of(List<ByteBuf> texts, String replyTo) {
    return new Pieces(texts, null, false, replyTo, State.WAITING);
  }

  /** A request that came from another node: its texts are copies of the wire's. */
  static Pieces requestFromWire(List<ByteBuf> texts) {
    return new Pieces(texts, null, true, null, State.WAITING);
  }

  /** An answer that came from another node. */
  static Pieces answerFromWire(List<ByteBuf> uppers) {
    return new Pieces(List.of(), uppers, true, null, State.ANSWERED);
  }

  /**
   * Makes {@link Pieces} travel on {@code eventBus}, once per Vert.x instance; every node of a
   * cluster does it.
   */
  public static void registerCodec(EventBus eventBus) {
    try {
      eventBus.registerDefaultCodec(Pieces.class, new PiecesCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another capslock verticle of this Vert.x (the launcher's -instances) registered it first
    }
  }

  /** The texts, for a worker that has {@link #start started}; read only. */
  List<ByteBuf> texts() {
    return texts;
  }

  /** Whether the texts are a node's own copies, not pooled buffers of this JVM's endpoints. */
  boolean fromWire() {
    return fromWire;
  }

  /** Where the answer goes: a consumer's address, or null for the request's own reply. */
  String replyTo() {
    return replyTo;
  }

  int size() {
    return texts.size();
  }

  /** What goes on the wire to another node: the answer, or the request's texts, as bytes. */
  record Wire(boolean answer, List<byte[]> pieces) {}

  /**
   * What goes on the wire to another node, copied under the lock: the answer once there is one,
   * else the texts, and no text once the sender has given up. Vert.x encodes a message to another
   * node once connected to it, which may be after the try's time-out, when the sender may have
   * released its texts (the worker then answers an empty request that nobody waits for).
   */
  synchronized Wire forWire() {
    List<ByteBuf> buffers =
        switch (state) {
          case ANSWERED -> uppers;
          case WAITING, WORKING -> texts;
          case TAKEN, ABANDONED, ABANDONED_WHILE_WORKING -> List.of();
        };
    List<byte[]> bytes = new ArrayList<>(buffers.size());
    for (ByteBuf buffer : buffers) {
      byte[] copy = new byte[buffer.readableBytes()];
      buffer.getBytes(buffer.readerIndex(), copy);
      bytes.add(copy);
    }
    return new Wire(state == State.ANSWERED, bytes);
  }

  /**
   * A worker takes the request: false when the sender has given up on it already (nothing to do).
   */
  synchronized boolean start() {
    if (state != State.WAITING) {
      return false;
    }
    state = State.WORKING;
    return true;
  }

  /**
   * A worker has the upper cases: true when they are to be sent back; false when the sender gave up
   * meanwhile, in which case they are released here, with the texts the sender left behind.
   */
  synchronized boolean finish(List<ByteBuf> upperCases) {
    if (state == State.ABANDONED_WHILE_WORKING) {
      state = State.ABANDONED;
      release(upperCases);
      release(texts);
      return false;
    }
    uppers = upperCases;
    state = State.ANSWERED;
    return true;
  }

  /** The sender takes the upper cases of the answer: from now on they are its own. */
  synchronized List<ByteBuf> takeUppers() {
    if (state != State.ANSWERED) {
      throw new IllegalStateException("no answer to take: " + state);
    }
    state = State.TAKEN;
    return uppers;
  }

  /**
   * The sender is done with this request, answered or not, and takes its texts back: the texts
   * themselves, or copies of them while a worker still reads them. An answer not taken is released.
   */
  synchronized List<ByteBuf> reclaim() {
    switch (state) {
      case WAITING -> state = State.ABANDONED;
      case ANSWERED -> {
        release(uppers);
        state = State.ABANDONED;
      }
      case WORKING -> {
        state = State.ABANDONED_WHILE_WORKING;
        List<ByteBuf> copies = new ArrayList<>(texts.size());
        texts.forEach(text -> copies.add(Unpooled.copiedBuffer(text)));
        return copies;
      }
      default -> { // TAKEN, or reclaimed already
      }
    }
    return texts;
  }

  static void release(List<ByteBuf> buffers) {
    buffers.forEach(ReferenceCountUtil::safeRelease);
  }
}
