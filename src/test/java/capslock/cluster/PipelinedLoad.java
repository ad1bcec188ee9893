package capslock.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bench kit's 16 x 16 shape over TCP and UDP at once: streams (connections, sockets) that each
 * keep several numbered requests in flight and send the next as each reply comes. Every reply is
 * checked: a TCP reply is the exact upper case of the oldest request out; a UDP reply is the exact
 * upper case of a request out, answered once. UDP replies that come out of order are counted, not
 * failed: UDP keeps no order, and on loopback the kernel can swap two datagrams (each CPU has its
 * own receive backlog), which a client cannot tell from the server's doing; the server's own order
 * is checked by {@code UdpUnderLoadTest} and {@code ClusterRolesTest}. A request whose right reply
 * never comes is missing.
 */
final class PipelinedLoad {

  /** One protocol's figures. */
  static final class Figures {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong wrong = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong longestWaitNanos = new AtomicLong();
    final List<String> firstWrong = Collections.synchronizedList(new ArrayList<>());
    private final long startedAt = System.nanoTime();
    private volatile long longestSentAt; // when the request that waited longest was sent

    /** Requests with no right reply: what was sent less what was answered right. */
    long missing() {
      return sent.get() - answered.get();
    }

    /**
     * Forgets the longest wait so far: the waits measured from here on are those of a warm cluster
     * (a cold one's first replies can take more than a second on a 2-core machine).
     */
    synchronized void forgetLongestWait() {
      longestWaitNanos.set(0);
      longestSentAt = 0;
    }

    void answered(long sentAt) {
      answered.incrementAndGet();
      long waited = System.nanoTime() - sentAt;
      if (waited > longestWaitNanos.get()) { // the streams answer on several event loops
        synchronized (this) {
          if (waited > longestWaitNanos.get()) {
            longestWaitNanos.set(waited);
            longestSentAt = sentAt;
          }
        }
      }
    }

    @Override
    public String toString() {
      return String.format(
              Locale.ROOT,
              "%,d sent, %,d answered (%d of them out of order), %d wrong, %d missing, longest wait"
                  + " %d ms (for a request sent %.1f s after the start)",
              sent.get(),
              answered.get(),
              outOfOrder.get(),
              wrong.get(),
              missing(),
              TimeUnit.NANOSECONDS.toMillis(longestWaitNanos.get()),
              (longestSentAt - startedAt) / 1e9)
          + (firstWrong.isEmpty() ? "" : "; the first wrong ones: " + firstWrong);
    }
  }

  /** A request out: the reply it expects, its number in its stream, and when it was sent. */
  private record Out(String text, long seq, long sentAt) {}

  final Figures tcp = new Figures();
  final Figures udp = new Figures();
  private final NetClient client; // held: Vert.x closes an unreachable client's connections
  private final List<Future<Void>> streams = new ArrayList<>();
  private volatile boolean stopping;

  PipelinedLoad(Vertx vertx) {
    this.client = vertx.createNetClient();
  }

  /**
   * Opens {@code count} TCP connections and {@code count} UDP sockets to 127.0.0.1, each with
   * {@code depth} requests out.
   */
  Future<Void> start(Vertx vertx, int tcpPort, int udpPort, int count, int depth) {
    List<Future<Void>> opened = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Promise<Void> tcpOpen = Promise.promise();
      Promise<Void> udpOpen = Promise.promise();
      opened.add(tcpOpen.future());
      opened.add(udpOpen.future());
      streams.add(tcpStream(tcpPort, i, depth, tcpOpen)); // on the caller's thread only
      streams.add(udpStream(vertx, udpPort, i, depth, udpOpen));
    }
    return Future.all(opened).mapEmpty();
  }

  /**
   * Sends no new requests; completes once every request out has its reply, or {@code grace} has
   * passed.
   */
  Future<Void> stop(Vertx vertx, long graceMillis) {
    stopping = true;
    Promise<Void> done = Promise.promise();
    Future.join(streams).onComplete(all -> done.tryComplete());
    vertx.setTimer(graceMillis, late -> done.tryComplete());
    return done.future();
  }

  private Future<Void> tcpStream(int port, int id, int depth, Promise<Void> open) {
    return client
        .connect(port, "127.0.0.1")
        .onComplete(connected -> open.tryComplete())
        .compose(
            socket -> {
              Promise<Void> finished = Promise.promise();
              Deque<Out> out = new ArrayDeque<>();
              long[] seq = {0};
              Buffer[] partial = {Buffer.buffer()};
              Runnable sendNext =
                  () -> {
                    String line = "tcp " + id + " " + ++seq[0] + " straße ǰ 한국어\n";
                    out.add(new Out(line.toUpperCase(Locale.ROOT), seq[0], System.nanoTime()));
                    tcp.sent.incrementAndGet();
                    socket.write(line);
                  };
              socket.handler(
                  bytes -> {
                    // a read may end inside a character: lines are cut, then decoded, whole
                    partial[0].appendBuffer(bytes);
                    for (int end = newline(partial[0]); end >= 0; end = newline(partial[0])) {
                      String reply = partial[0].getString(0, end + 1, "UTF-8");
                      partial[0] = partial[0].getBuffer(end + 1, partial[0].length());
                      Out expected = out.poll();
                      if (expected == null || !expected.text().equals(reply)) {
                        wrong(tcp, reply, expected == null ? "none" : expected.text());
                      } else {
                        tcp.answered(expected.sentAt());
                      }
                      if (!stopping) {
                        sendNext.run();
                      } else if (out.isEmpty()) {
                        finished.tryComplete();
                      }
                    }
                  });
              socket.closeHandler(closed -> finished.tryComplete());
              for (int i = 0; i < depth; i++) {
                sendNext.run();
              }
              return finished.future().eventually(socket::close);
            });
  }

  /** Counts a wrong reply, and keeps the first few for the report. */
  private static void wrong(Figures figures, String reply, String expected) {
    if (figures.wrong.incrementAndGet() <= 5) {
      figures.firstWrong.add(
          String.format(
              Locale.ROOT,
              "at %.1f s, got \"%s\", expected %s",
              (System.nanoTime() - figures.startedAt) / 1e9,
              reply.strip(),
              expected.strip()));
    }
  }

  private static int newline(Buffer bytes) {
    for (int i = 0; i < bytes.length(); i++) {
      if (bytes.getByte(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  private Future<Void> udpStream(Vertx vertx, int port, int id, int depth, Promise<Void> open) {
    DatagramSocket socket =
        vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(256 * 1024));
    return socket
        .listen(0, "127.0.0.1")
        .onComplete(bound -> open.tryComplete())
        .compose(
            bound -> {
              Promise<Void> finished = Promise.promise();
              Map<String, Out> out = new HashMap<>(); // by the reply each expects
              long[] seq = {0};
              long[] latestAnswered = {0};
              Runnable sendNext =
                  () -> {
                    String datagram = "udp " + id + " " + ++seq[0] + " straße ǰ 한국어";
                    String reply = datagram.toUpperCase(Locale.ROOT);
                    out.put(reply, new Out(reply, seq[0], System.nanoTime()));
                    udp.sent.incrementAndGet();
                    socket.send(datagram, port, "127.0.0.1");
                  };
              socket.handler(
                  packet -> {
                    String reply = packet.data().toString(StandardCharsets.UTF_8);
                    Out request = out.remove(reply);
                    if (request == null) { // the reply of no request out: a duplicate, or garbled
                      wrong(udp, reply, "one of the " + out.size() + " requests out");
                    } else {
                      udp.answered(request.sentAt());
                      if (request.seq() < latestAnswered[0]) {
                        udp.outOfOrder.incrementAndGet();
                      }
                      latestAnswered[0] = Math.max(latestAnswered[0], request.seq());
                    }
                    if (!stopping) {
                      sendNext.run();
                    } else if (out.isEmpty()) {
                      finished.tryComplete();
                    }
                  });
              // on the socket's event loop, as its handler
              vertx.runOnContext(
                  start -> {
                    for (int i = 0; i < depth; i++) {
                      sendNext.run();
                    }
                  });
              return finished.future().eventually(socket::close);
            });
  }
}
