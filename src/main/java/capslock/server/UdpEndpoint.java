package capslock.server;

import capslock.config.ListenFailure;
import capslock.config.Settings;
import capslock.limits.Backlog;
import capslock.limits.SourceLimits;
import capslock.metrics.Occurrences;
import capslock.metrics.Traffic;
import capslock.metrics.TrafficFeed;
import capslock.protocol.DatagramChannels;
import capslock.worker.Uppercase;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP front end: one reply datagram per request datagram, sent from the listening socket (so
 * from the server's port) to the request's source address and port, as it came. Each source gets
 * its replies in the order it sent its requests, as from a single-threaded server: the workers may
 * finish them in any order, and a client that matches each reply to the oldest request it has out
 * (the lesson's client, most load generators) must not see them swapped. A reply waits only for its
 * own source's earlier ones, never for another client's.
 *
 * <p>It reads up to {@link #DATAGRAMS_PER_READ} datagrams per turn of the event loop, hands them to
 * the workers as one request, and writes the replies that are ready with one flush. What waits for
 * the workers is bounded ({@link Backlog}: {@code udp.maxPendingDatagrams} and {@code
 * udp.maxPendingBytes}, a quarter of each for any one source): over the bound a datagram is dropped
 * before any work is done, counted, and said at most once a minute. A reply sent more than {@link
 * #LATE} after its request (and after the simulated delay, if any) is counted and said too: the
 * service is falling behind.
 *
 * <p>For teaching, it can drop a fraction of the requests and delay the replies ({@code
 * udp.simulatedLoss}, {@code udp.simulatedDelayMs}): the delay is a timer, never a blocked thread.
 */
final class UdpEndpoint {

  /**
   * The socket's receive buffer (SO_RCVBUF): room for a burst of small datagrams, or 16 of the
   * largest.
   */
  private static final int RECEIVE_BUFFER_BYTES = 1024 * 1024;

  /** What each datagram is read into: the largest UDP payload fits, so none is ever truncated. */
  private static final int READ_BYTES = 64 * 1024;

  /** Vert.x reads one datagram per turn of the event loop; more per turn batch better. */
  private static final int DATAGRAMS_PER_READ = 64;

  /**
   * A datagram is copied out of its 64 KiB read buffer into one of its own size when the read
   * buffer is larger than the datagram by more than this, which frees the large one at once: what
   * waits for the workers then costs what it holds, and is counted so. (Counted by its read buffer
   * alone, a datagram of 3,000 bytes cost 64 KiB of its source's bound, and on io_uring, which read
   * into 1 MiB buffers then, 1 MiB: a burst of 16 of them from one client lost 14.)
   */
  private static final int MAX_SLACK_BYTES = 2048;

  /**
   * A reply later than this is late: the lesson's clients and most others have given up by then.
   */
  static final Duration LATE = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(UdpEndpoint.class);

  /**
   * A request taken, and its reply to come; {@code counted}: where it is counted (the warm-up's
   * apart); {@code seen}: what the dashboard's feed keeps of it (http.showTraffic), or null.
   */
  private record Pending(
      InetSocketAddress sender,
      int cost,
      long receivedAt,
      Future<ByteBuf> reply,
      Traffic counted,
      TrafficFeed.Request seen) {}

  /**
   * What a datagram is taken on: where it is counted, the limits its source meets, and the loss and
   * delay simulated for it. The real clients' and the warm-up's are two of these, so that the code
   * that takes a datagram takes the same turns for both (with the defaults, for a client on this
   * machine): the code the warm-up compiled is a person's too (docs/PERFORMANCE.md, "The warm-up's
   * own turns").
   */
  private record Terms(
      Traffic counted, SourceLimits limits, double simulatedLoss, long simulatedDelayMs) {}

  private final Vertx vertx;
  private final Settings.Udp settings;
  private final Uppercase uppercase;
  private final WarmUpClients warmUpClients;
  private final Terms clients;
  private final Terms warmUp; // no loss and no delay simulated
  private final DatagramSocket socket;
  private final DatagramChannel channel;
  private final int readBytes; // what the channel reads each datagram into, as it says
  private final Backlog<InetSocketAddress> backlog;
  private final Random loss;
  // per source, in arrival order
  private final Map<InetSocketAddress, Deque<Pending>> waiting = new HashMap<>();
  // the replies of this turn, per source, written at its end: same-length ones go out together
  private final Map<InetSocketAddress, List<ByteBuf>> outgoing = new LinkedHashMap<>();
  private final ReplyDatagrams replyDatagrams;
  private final Context context;
  private final long lateNanos; // LATE, after the simulated delay
  private boolean flushScheduled;
  private Promise<Void> drained; // set once closing: completed when no reply is owed any more
  // each said at most once a minute
  private final Occurrences drops = new Occurrences();
  private final Occurrences lateReplies = new Occurrences();
  private final Occurrences oversizeReplies = new Occurrences();

  /**
   * @param sharedPort whether other instances bind the same port (SO_REUSEPORT: the kernel spreads
   *     the sources over them)
   */
  UdpEndpoint(
      Vertx vertx,
      Settings.Udp settings,
      boolean sharedPort,
      Uppercase uppercase,
      SourceLimits limits,
      Traffic traffic,
      WarmUpClients warmUpClients) {
    this.vertx = vertx;
    this.settings = settings;
    this.uppercase = uppercase;
    this.warmUpClients = warmUpClients;
    this.clients =
        new Terms(traffic, limits, settings.simulatedLoss(), settings.simulatedDelayMs());
    this.warmUp = new Terms(warmUpClients.traffic(), warmUpClients.limits(), 0, 0);
    this.socket =
        vertx.createDatagramSocket(
            new DatagramSocketOptions()
                .setIpV6(settings.host().contains(":"))
                .setReusePort(sharedPort)
                // Vert.x reads datagrams into buffers of this size, set when the channel is made:
                // the io_uring channel keeps that allocator, whatever is set on it later
                .setReceiveBufferSize(READ_BYTES));
    this.channel = DatagramChannels.of(socket);
    this.replyDatagrams = new ReplyDatagrams(channel);
    channel.config().setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
    ((MaxMessagesRecvByteBufAllocator) channel.config().getRecvByteBufAllocator())
        .maxMessagesPerRead(DATAGRAMS_PER_READ);
    this.readBytes = channel.unsafe().recvBufAllocHandle().guess();
    this.backlog = new Backlog<>(settings.maxPendingDatagrams(), settings.maxPendingBytes());
    // replies wait in Netty's queue while the socket's send buffer is full (a saturated link): as
    // many bytes at most as requests may wait for the workers; above that, requests are dropped
    int queued = (int) settings.maxPendingBytes();
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(queued / 2, queued));
    this.context = vertx.getOrCreateContext();
    this.lateNanos = LATE.toNanos() + TimeUnit.MILLISECONDS.toNanos(settings.simulatedDelayMs());
    this.loss =
        settings.simulatedLossSeed() == null
            ? new Random()
            : new Random(settings.simulatedLossSeed());
  }

  Future<Void> listen() {
    channel.pipeline().addFirst("capslock-requests", new Requests());
    return socket
        .listen(settings.port(), settings.host())
        .<Void>mapEmpty()
        .recover(
            failure ->
                Future.failedFuture(
                    ListenFailure.of("UDP", settings.host(), settings.port(), failure)));
  }

  /**
   * Stops answering new requests, sends the replies still owed (waiting at most {@code grace}),
   * then closes.
   */
  Future<Void> shutdown(Duration grace) {
    drained = Promise.promise();
    if (waiting.isEmpty()) {
      drained.complete();
    }
    long timer = vertx.setTimer(grace.toMillis(), late -> drained.tryComplete());
    return drained
        .future()
        .compose(
            done -> {
              vertx.cancelTimer(timer);
              writeOutgoing();
              channel.flush();
              return socket.close();
            });
  }

  /** The size of the buffer each datagram is read into: {@link #READ_BYTES}, on any transport. */
  int readBufferBytes() {
    return readBytes;
  }

  int port() {
    return socket.localAddress().port();
  }

  /** The channel under Vert.x's socket, for a test that makes it unwritable. */
  DatagramChannel channel() {
    return channel;
  }

  /** After how long a reply is late: {@link #LATE}, after the simulated delay, if any. */
  long lateMillis() {
    return TimeUnit.NANOSECONDS.toMillis(lateNanos);
  }

  /**
   * How long the oldest request still waiting for its reply has waited, in milliseconds (0 when
   * none).
   */
  long oldestWaitMillis() {
    long oldest =
        waiting.values().stream()
            .mapToLong(queue -> queue.peek().receivedAt())
            .min()
            .orElse(System.nanoTime());
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest);
  }

  /**
   * A request datagram, on the event loop; {@code data} is ours to release or hand over. The
   * start's warm-up's are counted apart, and meet limits of their own and no simulated loss or
   * delay.
   */
  private void onRequest(ByteBuf data, InetSocketAddress sender) {
    // the choice apart from the work: the first real datagram, the first to take the other turn
    // here, undoes the compiled code of this small method (or of its caller), not take()'s
    take(data, sender, warmUpClients.includesUdp(sender) ? warmUp : clients);
  }

  private void take(ByteBuf data, InetSocketAddress sender, Terms terms) {
    int length = data.readableBytes();
    boolean admitted =
        terms.limits().admitDatagram(sender.getAddress(), length) && !simulatedLoss(sender, terms);
    if (drained != null || !admitted) {
      data.release();
      return;
    }
    ByteBuf text = data.capacity() - length > MAX_SLACK_BYTES ? compact(data) : data;
    int cost = text.capacity();
    Traffic counted = terms.counted();
    // over the bound of what waits for the workers, or of the replies waiting to leave
    if (!channel.isWritable() || !backlog.admit(sender, cost)) {
      text.release();
      overloaded(sender, counted);
      return;
    }
    counted.udpDatagram(length);
    TrafficFeed.Request seen = counted.request("UDP", sender, text);
    Future<ByteBuf> reply =
        terms.simulatedDelayMs() == 0
            ? uppercase.apply(text)
            : uppercase
                .apply(text)
                .compose(
                    upper ->
                        vertx
                            .timer(terms.simulatedDelayMs())
                            .map(upper)
                            .onFailure(closing -> upper.release())); // Vert.x closing meanwhile
    waiting
        .computeIfAbsent(sender, source -> new ArrayDeque<>())
        .add(new Pending(sender, cost, System.nanoTime(), reply, counted, seen));
    reply.onComplete(done -> sendAnswered(sender));
  }

  private static ByteBuf compact(ByteBuf data) {
    ByteBuf copy = data.alloc().directBuffer(data.readableBytes());
    copy.writeBytes(data);
    data.release();
    return copy;
  }

  private boolean simulatedLoss(InetSocketAddress sender, Terms terms) {
    if (terms.simulatedLoss() > 0 && loss.nextDouble() < terms.simulatedLoss()) {
      terms.counted().udpSimulatedLoss();
      log.debug("Simulated loss: no reply to {}", sender);
      return true;
    }
    return false;
  }

  /**
   * Sends {@code source}'s replies that are ready, in arrival order (a reply waits for its source's
   * earlier ones).
   */
  private void sendAnswered(InetSocketAddress source) {
    Deque<Pending> queue = waiting.get(source);
    long now = System.nanoTime();
    while (!queue.isEmpty() && queue.peek().reply().isComplete()) {
      Pending answered = queue.poll();
      backlog.done(source, answered.cost());
      if (answered.reply().succeeded()
          && send(
              answered.reply().result(),
              source,
              answered.counted(),
              answered.seen())) { // failed only while Vert.x closes
        scheduleFlush();
        if (now - answered.receivedAt() > lateNanos) {
          late(now - answered.receivedAt(), answered.counted());
        }
      }
    }
    if (queue.isEmpty()) {
      waiting.remove(source);
    }
    if (drained != null && waiting.isEmpty()) {
      drained.tryComplete();
    }
  }

  /**
   * One flush for all the replies of this turn of the event loop, to whichever sources, written
   * then.
   */
  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(
          endOfTurn -> {
            flushScheduled = false;
            writeOutgoing();
            channel.flush();
          });
    }
  }

  private boolean send(
      ByteBuf reply, InetSocketAddress to, Traffic counted, TrafficFeed.Request seen) {
    // Checked before sending: with the epoll transport, an oversize send breaks the socket for
    // good.
    if (reply.readableBytes() > settings.maxDatagramBytes()) {
      counted.udpOversizeReplyDropped();
      int bytes = reply.readableBytes();
      oversizeReplies.countOne(
          unsaid ->
              log.warn(
                  "{} reply(ies) not sent since the last such line, over udp.maxDatagramBytes"
                      + " ({}); the latest, to {}, of {} bytes",
                  unsaid,
                  settings.maxDatagramBytes(),
                  to,
                  bytes));
      reply.release();
      return false;
    }
    counted.udpReplySent(reply.readableBytes());
    counted.replied(seen, reply);
    outgoing.computeIfAbsent(to, source -> new ArrayList<>()).add(reply);
    return true;
  }

  /** Writes the replies of this turn, each source's in their order, to be flushed. */
  private void writeOutgoing() {
    outgoing.forEach((to, replies) -> replyDatagrams.write(replies, to));
    outgoing.clear();
  }

  private void overloaded(InetSocketAddress sender, Traffic counted) {
    counted.udpOverloadDrop();
    drops.countOne(
        unsaid ->
            log.warn(
                "UDP is overloaded: {} datagram(s) dropped unread since the last such line, the"
                    + " latest from {}; {} datagrams and {} bytes were waiting for the workers"
                    + " (udp.maxPendingDatagrams {}, udp.maxPendingBytes {}, a quarter of each for"
                    + " one source){}",
                unsaid,
                sender,
                backlog.requests(),
                backlog.bytes(),
                settings.maxPendingDatagrams(),
                settings.maxPendingBytes(),
                channel.isWritable()
                    ? ""
                    : ", and replies were not leaving (the socket's send buffer is full: up to"
                        + " udp.maxPendingBytes of them wait)"));
  }

  private void late(long waitedNanos, Traffic counted) {
    counted.udpLateReply();
    lateReplies.countOne(
        unsaid ->
            log.warn(
                "UDP replies are falling behind: {} reply(ies) sent more than {} ms after their"
                    + " request since the last such line, the latest after {} ms; {} requests are"
                    + " waiting",
                unsaid,
                lateMillis(),
                TimeUnit.NANOSECONDS.toMillis(waitedNanos),
                backlog.requests()));
  }

  /**
   * Takes the socket's datagrams off the channel, before Vert.x's own handler would copy each one.
   */
  private final class Requests extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (message instanceof DatagramPacket datagram) {
        onRequest(datagram.content(), datagram.sender());
      } else {
        ctx.fireChannelRead(message);
      }
    }
  }
}
