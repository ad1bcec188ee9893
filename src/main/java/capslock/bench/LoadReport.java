package capslock.bench;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/**
 * The result of a load run: throughput, round-trip latency percentiles, errors and losses, and the
 * share of this machine's CPU time its host took back while it was measured ({@code stolenPercent}:
 * Linux only, see {@link CpuTimes}).
 */
public record LoadReport(
    LoadOptions options,
    double seconds,
    long replies,
    long errors,
    long lost,
    Histogram latencyMicros,
    OptionalDouble stolenPercent) {

  public double messagesPerSecond() {
    return replies / seconds;
  }

  /** Request bytes answered per second, in MB (10^6 bytes). */
  public double megabytesPerSecond() {
    return messagesPerSecond() * options.size() / 1e6;
  }

  public boolean ok() {
    return errors == 0 && replies > 0;
  }

  public String toText() {
    return figuresText() + (stolenPercent.isPresent() ? "  " + stolenText() + "\n" : "");
  }

  /** What the host took: the line the text ends with, and a row of the page. */
  String stolenText() {
    return String.format(
        Locale.ROOT,
        "stolen by the host: %.1f %% of the CPU time"
            + " (a virtual machine's noise: compare runs of similar steal)",
        stolenPercent.orElse(0));
  }

  private String figuresText() {
    return String.format(
        Locale.ROOT,
        """
        %s %s:%d, %d %s x %d in flight, %d-byte messages, %.1f s measured
          %,.0f messages/s, %.2f MB/s
          round trip: p50 %s, p99 %s, p99.9 %s, max %s
          errors: %d, lost: %d
        """,
        options.protocol(),
        options.host(),
        options.port(),
        options.connections(),
        options.protocol() == LoadOptions.Protocol.TCP ? "connections" : "sockets",
        options.depth(),
        options.size(),
        seconds,
        messagesPerSecond(),
        megabytesPerSecond(),
        millis(latencyMicros.getValueAtPercentile(50)),
        millis(latencyMicros.getValueAtPercentile(99)),
        millis(latencyMicros.getValueAtPercentile(99.9)),
        millis(latencyMicros.getMaxValue()),
        errors,
        lost);
  }

  public JsonObject toJson() {
    JsonObject json = figuresJson();
    stolenPercent.ifPresent(stolen -> json.put("stolenPercent", stolen));
    return json;
  }

  private JsonObject figuresJson() {
    return new JsonObject()
        .put("protocol", options.protocol().name().toLowerCase(Locale.ROOT))
        .put("host", options.host())
        .put("port", options.port())
        .put("connections", options.connections())
        .put("depth", options.depth())
        .put("size", options.size())
        .put("seconds", seconds)
        .put("messages", replies)
        .put("messagesPerSecond", messagesPerSecond())
        .put("megabytesPerSecond", megabytesPerSecond())
        .put("p50Micros", latencyMicros.getValueAtPercentile(50))
        .put("p99Micros", latencyMicros.getValueAtPercentile(99))
        .put("p999Micros", latencyMicros.getValueAtPercentile(99.9))
        .put("maxMicros", latencyMicros.getMaxValue())
        .put("errors", errors)
        .put("lost", lost);
  }

  /**
   * Microseconds as milliseconds with three decimals, as the report and the progress lines show
   * them.
   */
  public static String millis(long micros) {
    return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
  }
}
