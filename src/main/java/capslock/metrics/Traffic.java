package capslock.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * What the endpoints have done, one method per event, counted where it happens into meters named
 * {@code capslock_...} (one add to an adder: watching the service costs it nothing per byte).
 * Meters are the registry's, found by name, so the endpoints of every event loop (the launcher's
 * {@code -instances}) count into the same ones. Safe to call from any thread.
 */
public final class Traffic {

  /** Histogram buckets of the worker latency: from a quick local hop to a retry after a timeout. */
  private static final Duration[] LATENCY_BUCKETS =
      Stream.of(
              "PT0.0001S",
              "PT0.00025S",
              "PT0.0005S",
              "PT0.001S",
              "PT0.0025S",
              "PT0.005S",
              "PT0.01S",
              "PT0.025S",
              "PT0.05S",
              "PT0.1S",
              "PT0.25S",
              "PT0.5S",
              "PT1S",
              "PT2.5S",
              "PT5S",
              "PT10S")
          .map(Duration::parse)
          .toArray(Duration[]::new);

  /** The totals so far of what a person would look at first. */
  public record Totals(
      long tcpConnectionsOpened,
      long tcpConnectionsOpen,
      long tcpPieces,
      long udpDatagrams,
      long errors) {}

  private final Counter tcpConnectionsOpened;
  private final Counter tcpConnectionsClosed;
  private final Counter tcpBytesIn;
  private final Counter tcpBytesOut;
  private final Counter tcpPieces;
  private final Counter tcpBackPressurePauses;
  private final Counter tcpIdleCloses;
  private final Counter tcpEndedInputsReset;
  private final Counter udpDatagrams;
  private final Counter udpBytesIn;
  private final Counter udpBytesOut;
  private final Counter udpOversizeRepliesDropped;
  private final Counter udpSimulatedLosses;
  private final Counter udpOverloadDrops;
  private final Counter udpLateReplies;
  private final Counter udpDatagramsLimited;
  private final Counter tcpConnectionsRejected;
  private final Counter workerRetries;
  private final Counter workerLocalFallbacks;
  private final Timer workerLatency;
  private final TrafficFeed
      feed; // null unless http.showTraffic: then the endpoints pay a null check

  /**
   * Counts into {@code registry} (Prometheus names: capslock_tcp_connections_opened_total, ...).
   */
  public Traffic(MeterRegistry registry) {
    this(registry, null);
  }

  /**
   * The same, also keeping the last requests and their text in {@code feed} for the dashboard
   * (null: none kept).
   */
  public Traffic(MeterRegistry registry, TrafficFeed feed) {
    this.feed = feed;
    tcpConnectionsOpened =
        counter(registry, "capslock.tcp.connections.opened", "TCP connections accepted");
    tcpConnectionsClosed =
        counter(registry, "capslock.tcp.connections.closed", "TCP connections closed");
    Gauge.builder("capslock.tcp.connections.open", this, Traffic::tcpConnectionsOpen)
        .description("TCP connections open now")
        .strongReference(true)
        .register(registry);
    tcpBytesIn = counter(registry, "capslock.tcp.bytes.in", "bytes read from TCP clients");
    tcpBytesOut = counter(registry, "capslock.tcp.bytes.out", "bytes written to TCP clients");
    tcpPieces =
        counter(registry, "capslock.tcp.pieces", "pieces of TCP input sent to be upper-cased");
    tcpBackPressurePauses =
        counter(
            registry,
            "capslock.tcp.backpressure.pauses",
            "times a TCP connection stopped being read until its client took its replies");
    tcpIdleCloses =
        counter(
            registry,
            "capslock.tcp.idle.closes",
            "TCP connections closed for tcp.idleTimeoutSeconds without a byte");
    tcpEndedInputsReset =
        counter(
            registry,
            "capslock.tcp.ended.inputs.reset",
            "TCP connections reset with input unread: their client ended its side while they were"
                + " paused and the node held tcp.maxPendingBytes");
    udpDatagrams =
        counter(registry, "capslock.udp.datagrams", "UDP requests taken to be upper-cased");
    udpBytesIn = counter(registry, "capslock.udp.bytes.in", "bytes of UDP requests taken");
    udpBytesOut = counter(registry, "capslock.udp.bytes.out", "bytes of UDP replies sent");
    udpOversizeRepliesDropped =
        counter(
            registry,
            "capslock.udp.oversize.replies.dropped",
            "UDP replies not sent: over udp.maxDatagramBytes");
    udpSimulatedLosses =
        counter(
            registry,
            "capslock.udp.simulated.losses",
            "UDP requests dropped on purpose (udp.simulatedLoss)");
    udpOverloadDrops =
        counter(
            registry,
            "capslock.udp.overload.drops",
            "UDP requests dropped unread: too many were waiting for the workers (udp.maxPending*)");
    udpLateReplies =
        counter(
            registry,
            "capslock.udp.late.replies",
            "UDP replies sent more than a second after their request");
    udpDatagramsLimited =
        counter(
            registry,
            "capslock.limits.udp.datagrams.limited",
            "UDP datagrams not answered: their source was over its limit");
    tcpConnectionsRejected =
        counter(
            registry,
            "capslock.limits.tcp.connections.rejected",
            "TCP connections closed at once: over a connection limit");
    workerRetries =
        counter(
            registry,
            "capslock.worker.retries",
            "requests to the workers sent again after a failure");
    workerLocalFallbacks =
        counter(
            registry,
            "capslock.worker.local.fallbacks",
            "pieces upper-cased by the endpoints because no worker answered");
    workerLatency =
        Timer.builder("capslock.worker.latency")
            .description("time from sending pieces to the workers to having their upper case")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
  }

  /**
   * What a node's uppercase workers count, whichever node asked them: the pieces they upper-cased.
   */
  public static IntConsumer workerPieces(MeterRegistry registry) {
    Counter pieces =
        counter(
            registry,
            "capslock.worker.pieces",
            "pieces of text this node's workers upper-cased, for whichever node asked");
    return pieces::increment;
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  public void tcpConnectionOpened() {
    tcpConnectionsOpened.increment();
  }

  public void tcpConnectionClosed() {
    tcpConnectionsClosed.increment();
  }

  public void tcpBytesIn(int bytes) {
    tcpBytesIn.increment(bytes);
  }

  public void tcpBytesOut(int bytes) {
    tcpBytesOut.increment(bytes);
  }

  public void tcpPiece() {
    tcpPieces.increment();
  }

  public void tcpBackPressurePause() {
    tcpBackPressurePauses.increment();
  }

  public void tcpIdleClose() {
    tcpIdleCloses.increment();
  }

  public void tcpEndedInputReset() {
    tcpEndedInputsReset.increment();
  }

  public void tcpConnectionRejected() {
    tcpConnectionsRejected.increment();
  }

  /** A UDP request taken to be upper-cased. */
  public void udpDatagram(int bytes) {
    udpDatagrams.increment();
    udpBytesIn.increment(bytes);
  }

  public void udpReplySent(int bytes) {
    udpBytesOut.increment(bytes);
  }

  public void udpOversizeReplyDropped() {
    udpOversizeRepliesDropped.increment();
  }

  public void udpSimulatedLoss() {
    udpSimulatedLosses.increment();
  }

  public void udpOverloadDrop() {
    udpOverloadDrops.increment();
  }

  public void udpLateReply() {
    udpLateReplies.increment();
  }

  public void udpDatagramLimited() {
    udpDatagramsLimited.increment();
  }

  /**
   * One request to the workers answered, after {@code nanos}, retries and local upper-casing
   * included.
   */
  public void workerReplied(long nanos) {
    workerLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void workerRetried() {
    workerRetries.increment();
  }

  public void upperCasedLocally(int pieces) {
    workerLocalFallbacks.increment(pieces);
  }

  /**
   * For the dashboard's feed of the last requests ({@code http.showTraffic}): notes a request as it
   * comes, to be passed to {@link #replied} with its reply; null when the feed is off.
   */
  public TrafficFeed.Request request(String protocol, InetSocketAddress source, ByteBuf text) {
    return feed == null ? null : feed.request(protocol, source, text);
  }

  /**
   * A request noted by {@link #request} has its reply written; nothing when {@code request} is
   * null.
   */
  public void replied(TrafficFeed.Request request, ByteBuf reply) {
    if (request != null) {
      feed.replied(request, reply);
    }
  }

  private double tcpConnectionsOpen() {
    return tcpConnectionsOpened.count() - tcpConnectionsClosed.count();
  }

  /**
   * The requests taken so far, TCP pieces and UDP datagrams, by every endpoint counting into this
   * registry: a connection that sends nothing is none.
   */
  public long requestsTaken() {
    return (long) (tcpPieces.count() + udpDatagrams.count());
  }

  /**
   * The totals so far; errors are what a client would notice: replies not sent, requests and
   * connections turned away.
   */
  public Totals totals() {
    return new Totals(
        (long) tcpConnectionsOpened.count(),
        (long) tcpConnectionsOpen(),
        (long) tcpPieces.count(),
        (long) udpDatagrams.count(),
        (long)
            (udpOversizeRepliesDropped.count()
                + udpOverloadDrops.count()
                + udpDatagramsLimited.count()
                + tcpConnectionsRejected.count()
                + tcpEndedInputsReset.count()));
  }
}
