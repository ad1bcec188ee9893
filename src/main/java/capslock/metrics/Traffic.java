package capslock.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * What the endpoints have done, counted where it happens (one {@link LongAdder} add on the
 * event loop) and read by the metrics registry only when someone asks, so that watching the
 * service costs it nothing per byte. Every figure is also a meter named {@code capslock_...}.
 */
public final class Traffic {

  public final LongAdder tcpConnectionsOpened = new LongAdder();
  public final LongAdder tcpConnectionsClosed = new LongAdder();
  public final LongAdder tcpBytesIn = new LongAdder();
  public final LongAdder tcpBytesOut = new LongAdder();
  public final LongAdder tcpPieces = new LongAdder();
  public final LongAdder tcpBackPressurePauses = new LongAdder();
  public final LongAdder tcpIdleCloses = new LongAdder();
  public final LongAdder udpDatagrams = new LongAdder();
  public final LongAdder udpBytesIn = new LongAdder();
  public final LongAdder udpBytesOut = new LongAdder();
  public final LongAdder udpOversizeRepliesDropped = new LongAdder();
  public final LongAdder udpSimulatedLosses = new LongAdder();
  /** The last requests' text for the dashboard ({@code http.showTraffic}); null, the default, when off. */
  public final TrafficFeed feed;

  /** Histogram buckets of the worker latency: from a quick local hop to a retry after a timeout. */
  private static final Duration[] LATENCY_BUCKETS = Stream.of(
          "PT0.0001S", "PT0.00025S", "PT0.0005S", "PT0.001S", "PT0.0025S", "PT0.005S", "PT0.01S", "PT0.025S",
          "PT0.05S", "PT0.1S", "PT0.25S", "PT0.5S", "PT1S", "PT2.5S", "PT5S", "PT10S")
      .map(Duration::parse).toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final List<LongSupplier> keptCounts = new CopyOnWriteArrayList<>(); // see count()
  private final Timer workerLatency;

  /** Counts into {@code registry} (Prometheus names: capslock_tcp_connections_opened_total, ...). */
  public Traffic(MeterRegistry registry) {
    this(registry, null);
  }

  /** The same, also keeping the last requests in {@code feed} (null: none kept). */
  public Traffic(MeterRegistry registry, TrafficFeed feed) {
    this.registry = registry;
    this.feed = feed;
    counter(registry, "capslock.tcp.connections.opened", "TCP connections accepted", tcpConnectionsOpened);
    Gauge.builder("capslock.tcp.connections.open", this, Traffic::tcpConnectionsOpen)
        .description("TCP connections open now").register(registry);
    counter(registry, "capslock.tcp.bytes.in", "bytes read from TCP clients", tcpBytesIn);
    counter(registry, "capslock.tcp.bytes.out", "bytes written to TCP clients", tcpBytesOut);
    counter(registry, "capslock.tcp.pieces", "pieces of TCP input sent to be upper-cased", tcpPieces);
    counter(registry, "capslock.tcp.backpressure.pauses", "times a TCP connection stopped being read until its client took its replies", tcpBackPressurePauses);
    counter(registry, "capslock.tcp.idle.closes", "TCP connections closed for tcp.idleTimeoutSeconds without a byte", tcpIdleCloses);
    counter(registry, "capslock.udp.datagrams", "UDP requests taken to be upper-cased", udpDatagrams);
    counter(registry, "capslock.udp.bytes.in", "bytes of UDP requests taken", udpBytesIn);
    counter(registry, "capslock.udp.bytes.out", "bytes of UDP replies sent", udpBytesOut);
    counter(registry, "capslock.udp.oversize.replies.dropped", "UDP replies not sent: over udp.maxDatagramBytes", udpOversizeRepliesDropped);
    counter(registry, "capslock.udp.simulated.losses", "UDP requests dropped on purpose (udp.simulatedLoss)", udpSimulatedLosses);
    workerLatency = Timer.builder("capslock.worker.latency")
        .description("time from sending pieces to the workers to having their upper case")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  /** One more counter, kept elsewhere (it must be safe to read from any thread). */
  public void count(String name, String description, LongSupplier value) {
    // kept here: the registry holds its object weakly, and a method reference such as
    // uppercase::retries has no other holder, so it went with the first GC and the count stuck
    keptCounts.add(value);
    FunctionCounter.builder(name, value, (ToDoubleFunction<LongSupplier>) LongSupplier::getAsLong)
        .description(description).register(registry);
  }

  private static void counter(MeterRegistry registry, String name, String description, LongAdder count) {
    FunctionCounter.builder(name, count, (ToDoubleFunction<LongAdder>) LongAdder::sum)
        .description(description).register(registry);
  }

  public long tcpConnectionsOpen() {
    return tcpConnectionsOpened.sum() - tcpConnectionsClosed.sum();
  }

  /** The time one request to the workers took, retries included. */
  public void workerReplied(long nanos) {
    workerLatency.record(nanos, TimeUnit.NANOSECONDS);
  }
}
