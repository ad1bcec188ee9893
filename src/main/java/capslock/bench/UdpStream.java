package capslock.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One UDP socket of the load: keeps {@code depth} datagrams in flight, each carrying its sequence
 * number, and checks each reply against the upper case of its request. A datagram unanswered after
 * {@link #LOSS_TIMEOUT_NANOS} counts as lost and is replaced.
 */
final class UdpStream implements LoadStream {

  static final long LOSS_TIMEOUT_NANOS = 1_000_000_000L;

  /** The sequence number, in decimal and padded, leads each datagram: digits have no case. */
  static final int SEQ_DIGITS = 12;

  private final Vertx vertx;
  private final DatagramSocket socket;
  private final Context context; // the socket's event loop: every field below is touched only there
  private final LoadOptions options;
  private final Measurements measurements;
  // sequence -> send time, oldest first
  private final Map<Long, Long> inFlight = new LinkedHashMap<>();
  private final long expiryTimer;
  private long sent;
  private boolean stopped;

  private UdpStream(
      Vertx vertx, DatagramSocket socket, LoadOptions options, Measurements measurements) {
    this.vertx = vertx;
    this.socket = socket;
    this.context = Vertx.currentContext();
    this.options = options;
    this.measurements = measurements;
    socket.handler(this::onReply);
    this.expiryTimer = vertx.setPeriodic(100, tick -> expireLost());
  }

  static Future<UdpStream> open(Vertx vertx, LoadOptions options, Measurements measurements) {
    DatagramSocket socket =
        vertx.createDatagramSocket(
            new DatagramSocketOptions()
                .setIpV6(options.host().contains(":"))
                .setReceiveBufferSize(Math.max(64 * 1024, options.size())));
    return socket
        .listen(
            0,
            options.host().contains(":") ? "::" : "0.0.0.0") // any address of the target's family
        .map(bound -> new UdpStream(vertx, bound, options, measurements));
  }

  @Override
  public void start() {
    context.runOnContext(
        onOwnEventLoop -> {
          for (int i = 0; i < options.depth(); i++) {
            sendNext();
          }
        });
  }

  @Override
  public Future<Void> stop() {
    Promise<Void> closed = Promise.promise();
    context.runOnContext(
        onOwnEventLoop -> {
          stopped = true;
          vertx.cancelTimer(expiryTimer);
          socket.close().onComplete(closed);
        });
    return closed.future();
  }

  /** Datagram {@code seq}: its number in decimal, then lowercase letters up to the size. */
  static byte[] request(long seq, int size) {
    byte[] bytes = Message.request(seq, size);
    byte[] digits = String.format("%0" + SEQ_DIGITS + "d", seq).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, bytes, 0, SEQ_DIGITS);
    bytes[size - 1] = (byte) ('a' + seq % 26); // a datagram needs no newline
    return bytes;
  }

  private void sendNext() {
    long seq = sent++;
    inFlight.put(seq, System.nanoTime());
    socket.send(Buffer.buffer(request(seq, options.size())), options.port(), options.host());
  }

  private void onReply(DatagramPacket packet) {
    Buffer reply = packet.data();
    long seq;
    try {
      seq = Long.parseLong(reply.getString(0, Math.min(SEQ_DIGITS, reply.length()), "US-ASCII"));
    } catch (NumberFormatException e) {
      measurements.error();
      return;
    }
    Long sentAt = inFlight.remove(seq);
    if (sentAt == null) {
      return; // already counted as lost
    }
    if (!isUpperCaseOf(reply, request(seq, options.size()))) {
      measurements.error();
    } else {
      measurements.reply(sentAt);
    }
    if (!stopped) {
      sendNext();
    }
  }

  private void expireLost() {
    long now = System.nanoTime();
    int expired = 0;
    for (Iterator<Long> sentAt = inFlight.values().iterator(); sentAt.hasNext(); ) {
      if (now - sentAt.next() < LOSS_TIMEOUT_NANOS) {
        break;
      }
      sentAt.remove();
      measurements.lost();
      expired++;
    }
    for (int i = 0; i < expired && !stopped; i++) {
      sendNext();
    }
  }

  private static boolean isUpperCaseOf(Buffer reply, byte[] request) {
    if (reply.length() != request.length) {
      return false;
    }
    for (int i = 0; i < request.length; i++) {
      byte b = request[i];
      byte expected = b >= 'a' && b <= 'z' ? (byte) (b - ('a' - 'A')) : b;
      if (reply.getByte(i) != expected) {
        return false;
      }
    }
    return true;
  }
}
