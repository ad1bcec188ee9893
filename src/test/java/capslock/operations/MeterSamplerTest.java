package capslock.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The dashboard's figures, read generically from whatever capslock.* meters the registry holds. */
class MeterSamplerTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final MeterSampler sampler = new MeterSampler(registry, clock::get);

  @Test
  void countersBecomeRatesPerSecondAndGaugesTheirValue() {
    AtomicLong pieces = new AtomicLong(1_000);
    AtomicLong open = new AtomicLong(3);
    FunctionCounter.builder("capslock.tcp.pieces", pieces, AtomicLong::get)
        .description("pieces")
        .register(registry);
    Gauge.builder("capslock.tcp.connections.open", open, AtomicLong::get)
        .description("open now")
        .register(registry);

    MeterSampler.Sample first = sampler.sample();
    assertEquals(
        0.0, first.values().getDouble("capslock.tcp.pieces"), "no rate before a second reading");
    assertEquals(1_000L, first.totals().getLong("capslock.tcp.pieces"));
    assertEquals(3.0, first.values().getDouble("capslock.tcp.connections.open"));

    pieces.addAndGet(500);
    open.set(7);
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(2_000));
    MeterSampler.Sample second = sampler.sample();
    assertEquals(250.0, second.values().getDouble("capslock.tcp.pieces"), "500 pieces in 2 s");
    assertEquals(1_500L, second.totals().getLong("capslock.tcp.pieces"));
    assertEquals(7.0, second.values().getDouble("capslock.tcp.connections.open"));
  }

  @Test
  void aTimerGivesTheP50AndP99OfTheLastSecondFromItsBuckets() {
    Timer latency =
        Timer.builder("capslock.worker.latency")
            .description("worker latency")
            .serviceLevelObjectives(
                Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100))
            .register(registry);
    // before the first reading: not in any second's percentiles
    latency.record(Duration.ofSeconds(5));
    sampler.sample();

    for (int i = 0; i < 90; i++) {
      latency.record(Duration.ofMillis(2).dividedBy(4));
    }
    for (int i = 0; i < 10; i++) {
      latency.record(Duration.ofMillis(50));
    }
    clock.addAndGet(1_000_000_000L);
    MeterSampler.Sample busy = sampler.sample();
    // p50: rank 50 of 100, in the bucket up to 1 ms holding 90: 50/90 of the way from 0 to 1 ms
    assertEquals(0.556, busy.values().getDouble("capslock.worker.latency.p50"), 1e-9);
    // p99: rank 99, in the bucket from 10 to 100 ms holding ranks 91 to 100: 9/10 of the way
    assertEquals(91.0, busy.values().getDouble("capslock.worker.latency.p99"), 1e-9);

    clock.addAndGet(1_000_000_000L);
    MeterSampler.Sample idle = sampler.sample();
    assertTrue(idle.values().containsKey("capslock.worker.latency.p50"));
    assertNull(
        idle.values().getValue("capslock.worker.latency.p50"),
        "no request, no percentile: a gap in the chart");
    assertNull(idle.values().getValue("capslock.worker.latency.p99"));

    latency.record(Duration.ofSeconds(30)); // beyond the last boundary
    clock.addAndGet(1_000_000_000L);
    assertEquals(100.0, sampler.sample().values().getDouble("capslock.worker.latency.p99"), 1e-9);
  }

  @Test
  void everyCapslockMeterIsASeriesGroupedByItsSecondNamePartWithItsDescriptionAsLabel() {
    AtomicLong count = new AtomicLong();
    FunctionCounter.builder("capslock.udp.datagrams", count, AtomicLong::get)
        .description("UDP requests")
        .register(registry);
    FunctionCounter.builder("capslock.udp.bytes.in", count, AtomicLong::get)
        .description("UDP bytes in")
        .register(registry);
    FunctionCounter.builder("capslock.udp.oversize.replies.dropped", count, AtomicLong::get)
        .register(registry);
    FunctionCounter.builder("capslock.limits.tcp.connections.rejected", count, AtomicLong::get)
        .description("rejected")
        .register(registry);
    FunctionCounter.builder("capslock.tcp.pieces", count, AtomicLong::get)
        .description("TCP pieces")
        .register(registry);
    FunctionCounter.builder("jvm.something", count, AtomicLong::get).register(registry);

    List<MeterSampler.Series> series = sampler.sample().series();
    assertEquals(
        List.of(
            new MeterSampler.Series("capslock.tcp.pieces", "TCP pieces", "tcp", "rate"),
            new MeterSampler.Series("capslock.udp.bytes.in", "UDP bytes in", "udp", "bytes"),
            new MeterSampler.Series("capslock.udp.datagrams", "UDP requests", "udp", "rate"),
            new MeterSampler.Series(
                "capslock.udp.oversize.replies.dropped",
                "capslock.udp.oversize.replies.dropped",
                "udp",
                "dropped"),
            new MeterSampler.Series(
                "capslock.limits.tcp.connections.rejected", "rejected", "limits", "dropped")),
        series);

    // a meter the service adds later shows at the next reading, in its group
    FunctionCounter.builder("capslock.udp.overload.drops", count, AtomicLong::get)
        .description("overload")
        .register(registry);
    Gauge.builder("capslock.replay.sessions", count, AtomicLong::get)
        .description("replays")
        .register(registry);
    List<MeterSampler.Series> later = sampler.sample().series();
    assertTrue(
        later.contains(
            new MeterSampler.Series("capslock.udp.overload.drops", "overload", "udp", "dropped")),
        later.toString());
    assertEquals(
        new MeterSampler.Series("capslock.replay.sessions", "replays", "replay", "gauge"),
        later.get(later.size() - 1),
        "groups the page does not know come last");
  }
}
