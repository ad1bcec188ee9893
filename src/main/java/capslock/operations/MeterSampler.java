package capslock.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Reads every meter named {@code capslock.*} from the registry, once a second, as figures for the
 * dashboard: whatever meters the service has, with no list of names here, so a meter added to the
 * service shows on the page by itself. Counters become rates (the difference of two readings over
 * the time between them), gauges are their value, and a timer gives the p50 and p99 of the last
 * second. Each figure is a series: a meter's name, or a timer's name with {@code .p50}/{@code
 * .p99}.
 *
 * <p>Each series has a group, its name's second part ({@code capslock.tcp.*} is {@code tcp}), and a
 * kind, which chart it goes in: {@code bytes}, {@code rate}, {@code dropped} (requests or replies
 * not served: names with dropped, drops, limited, rejected or losses), {@code gauge} or {@code
 * latency}. Not thread-safe: one sampler, read from one event loop.
 */
final class MeterSampler {

  static final String PREFIX = "capslock.";
  private static final Pattern DROPPED = Pattern.compile("dropped|drops|limited|rejected|losses");

  /** The groups first on the page, in this order; any other after them, by name. */
  private static final List<String> GROUP_ORDER = List.of("tcp", "udp", "worker", "limits");

  /** One series on the page: where it goes and what it is called there. */
  record Series(String name, String label, String group, String kind) {

    JsonObject toJson() {
      return new JsonObject()
          .put("series", name)
          .put("label", label)
          .put("group", group)
          .put("kind", kind);
    }
  }

  /**
   * One reading: its time, each series' value (null: none this second), each counter's total, the
   * series.
   */
  record Sample(long timeMillis, JsonObject values, JsonObject totals, List<Series> series) {}

  private final MeterRegistry registry;
  private final LongSupplier nanoTime;
  private final Map<String, Double> lastCounts = new HashMap<>();
  private final Map<String, double[]> lastBuckets = new HashMap<>();
  private long lastNanos;
  private boolean sampled;

  MeterSampler(MeterRegistry registry) {
    this(registry, System::nanoTime);
  }

  /** The same, timing the rates by {@code nanoTime} (tests give their own clock). */
  MeterSampler(MeterRegistry registry, LongSupplier nanoTime) {
    this.registry = registry;
    this.nanoTime = nanoTime;
  }

  /** Reads the meters now; rates are per second since the previous call (0 at the first). */
  Sample sample() {
    long now = nanoTime.getAsLong();
    double seconds = sampled ? (now - lastNanos) / 1e9 : 0;
    lastNanos = now;
    sampled = true;
    List<Meter> meters =
        new ArrayList<>(
            registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith(PREFIX))
                .toList());
    // by group, then the plainest names first (capslock.tcp.pieces before
    // capslock.tcp.backpressure.pauses)
    meters.sort(
        Comparator.comparing((Meter meter) -> groupRank(group(meter.getId().getName())))
            .thenComparing(meter -> meter.getId().getName().length())
            .thenComparing(meter -> meter.getId().getName()));
    JsonObject values = new JsonObject();
    JsonObject totals = new JsonObject();
    List<Series> series = new ArrayList<>();
    for (Meter meter : meters) {
      String name = meter.getId().getName();
      String label = meter.getId().getDescription() != null ? meter.getId().getDescription() : name;
      String group = group(name);
      if (meter instanceof FunctionCounter || meter instanceof Counter) {
        double count =
            meter instanceof FunctionCounter counter ? counter.count() : ((Counter) meter).count();
        Double before =
            Double.isFinite(count) ? lastCounts.put(name, count) : lastCounts.remove(name);
        if (!Double.isFinite(count)) { // an unreadable count: a gap, not a made-up zero
          values.putNull(name);
        } else {
          values.put(
              name,
              before == null || seconds <= 0
                  ? 0.0
                  : round(Math.max(0, count - before) / seconds, 2));
          totals.put(name, (long) count);
        }
        series.add(new Series(name, label, group, counterKind(name)));
      } else if (meter instanceof Gauge gauge) {
        double value = gauge.value();
        values.put(name, Double.isFinite(value) ? round(value, 3) : null);
        series.add(new Series(name, label, group, "gauge"));
      } else if (meter instanceof Timer timer) {
        Double[] percentiles = lastSecondPercentiles(name, timer);
        values.put(name + ".p50", percentiles[0]);
        values.put(name + ".p99", percentiles[1]);
        series.add(new Series(name + ".p50", "p50 " + label, group, "latency"));
        series.add(new Series(name + ".p99", "p99 " + label, group, "latency"));
      }
    }
    return new Sample(System.currentTimeMillis(), values, totals, series);
  }

  /** The series as JSON, for the page to lay out its charts. */
  static JsonArray toJson(List<Series> series) {
    JsonArray array = new JsonArray();
    series.forEach(one -> array.add(one.toJson()));
    return array;
  }

  /**
   * The p50 and p99 of the values the timer recorded since the previous call, in milliseconds
   * (nulls when it recorded none). Micrometer keeps the timer's histogram as counts at its
   * service-level boundaries, cumulative since start (a Prometheus histogram), so the last second's
   * histogram is the difference of two snapshots' bucket counts; a percentile is interpolated
   * linearly inside its bucket, and one beyond the last boundary is that boundary. A timer without
   * boundaries gives none.
   */
  private Double[] lastSecondPercentiles(String name, Timer timer) {
    CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
    double[] counts = new double[buckets.length + 1]; // the last: the timer's whole count
    for (int i = 0; i < buckets.length; i++) {
      counts[i] = buckets[i].count();
    }
    counts[buckets.length] = timer.count();
    double[] before = lastBuckets.put(name, counts);
    if (before == null || before.length != counts.length || buckets.length == 0) {
      return new Double[] {null, null};
    }
    double total = counts[buckets.length] - before[buckets.length];
    return new Double[] {
      percentile(0.50, total, buckets, counts, before),
      percentile(0.99, total, buckets, counts, before)
    };
  }

  private static Double percentile(
      double p, double total, CountAtBucket[] buckets, double[] counts, double[] before) {
    if (total <= 0) {
      return null;
    }
    double rank = Math.ceil(p * total);
    double lowerBound = 0;
    double lowerCount = 0;
    for (int i = 0; i < buckets.length; i++) {
      double bound = buckets[i].bucket(TimeUnit.MILLISECONDS);
      double count = counts[i] - before[i];
      if (count >= rank) {
        double inBucket = count - lowerCount;
        double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
        return round(lowerBound + (bound - lowerBound) * fraction, 3);
      }
      lowerBound = bound;
      lowerCount = count;
    }
    return round(lowerBound, 3);
  }

  private static String counterKind(String name) {
    if (DROPPED.matcher(name).find()) {
      return "dropped";
    }
    return name.contains(".bytes") ? "bytes" : "rate";
  }

  /** {@code capslock.tcp.bytes.in} is in group {@code tcp}. */
  static String group(String name) {
    String rest = name.substring(PREFIX.length());
    int dot = rest.indexOf('.');
    return (dot < 0 ? rest : rest.substring(0, dot)).toLowerCase(Locale.ROOT);
  }

  private static int groupRank(String group) {
    int rank = GROUP_ORDER.indexOf(group);
    return rank < 0 ? GROUP_ORDER.size() : rank;
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
