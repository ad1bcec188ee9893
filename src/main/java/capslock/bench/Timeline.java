package capslock.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A load run second by second, from its progress lines: how many replies each second brought and
 * their p50 and p99, the warm-up seconds marked. For the report's throughput chart.
 */
public final class Timeline {

  /** One second of the run (counted from the start of the warm-up). */
  public record Second(
      int second, boolean warmingUp, long replies, double p50Millis, double p99Millis) {}

  private final List<Second> seconds = new ArrayList<>();

  /** Keeps one progress line; called from the load's event loop, read from the caller's thread. */
  public synchronized void add(LoadGenerator.Progress progress) {
    long replies = progress.interval().getTotalCount();
    seconds.add(
        new Second(
            progress.second(),
            progress.warmingUp(),
            replies,
            replies == 0 ? 0 : progress.interval().getValueAtPercentile(50) / 1000.0,
            replies == 0 ? 0 : progress.interval().getValueAtPercentile(99) / 1000.0));
  }

  public synchronized List<Second> seconds() {
    return List.copyOf(seconds);
  }

  /**
   * As columns, as a chart takes them: {@code {"second": [...], "replies": [...], "warmingUp":
   * [...], ...}}.
   */
  synchronized JsonObject toJson() {
    JsonArray second = new JsonArray();
    JsonArray warmingUp = new JsonArray();
    JsonArray replies = new JsonArray();
    JsonArray p50 = new JsonArray();
    JsonArray p99 = new JsonArray();
    for (Second one : seconds) {
      second.add(one.second());
      warmingUp.add(one.warmingUp());
      replies.add(one.replies());
      p50.add(one.p50Millis());
      p99.add(one.p99Millis());
    }
    return new JsonObject()
        .put("second", second)
        .put("warmingUp", warmingUp)
        .put("replies", replies)
        .put("p50Millis", p50)
        .put("p99Millis", p99);
  }
}
