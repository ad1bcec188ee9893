package capslock.operations;

import capslock.metrics.TrafficFeed;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the dashboard at {@code /} shows, pushed to it as Server-Sent Events on {@code /events}:
 * each second, one snapshot built from the meters (and sent to every open page), and the last
 * {@link #HISTORY} of them kept, so that a page opened mid-run draws the last five minutes at once.
 *
 * <p>The first event on a stream is {@code history}: {@code {"series": [...], "time": [...],
 * "values": {series: [...]}, "latest": snapshot}}. Then one {@code snapshot} a second: {@code
 * {"time", "values": {series: value}, "totals": {counter: total}, "health", "node"}}, with {@code
 * "series"} (the charts' layout) when the set of meters changed, and {@code "traffic"} (the last
 * requests) when {@code http.showTraffic} is on. Used on the operations event loop only.
 */
final class Dashboard {

  /** Snapshots kept: five minutes, one a second. */
  static final int HISTORY = 300;

  private final MeterSampler sampler;
  private final Health health;
  private final Map<String, String> facts;
  private final Supplier<List<String>> members;
  private final TrafficFeed feed;
  private final EventStreams streams = new EventStreams();
  private final Deque<MeterSampler.Sample> history = new ArrayDeque<>();
  private JsonArray series = new JsonArray();
  private JsonObject lastHealth;
  private boolean healthAsked;

  /**
   * @param members the cluster's members now (empty when not clustered)
   * @param feed the last requests, or null when {@code http.showTraffic} is off
   */
  Dashboard(
      MeterSampler sampler,
      Health health,
      Map<String, String> facts,
      Supplier<List<String>> members,
      TrafficFeed feed) {
    this.sampler = sampler;
    this.health = health;
    this.facts = facts;
    this.members = members;
    this.feed = feed;
  }

  /** Reads the meters (once a second), keeps the snapshot and sends it to every open page. */
  void tick() {
    MeterSampler.Sample sample = sampler.sample();
    history.addLast(sample);
    if (history.size() > HISTORY) {
      history.removeFirst();
    }
    JsonArray layout = MeterSampler.toJson(sample.series());
    boolean changed = !layout.equals(series);
    series = layout;
    if (streams.any()) {
      refreshHealth();
      streams.publish(EventStreams.event("snapshot", snapshot(sample, changed).encode()));
    }
  }

  /** {@code GET /events}: a stream of snapshots, the history first. */
  void open(HttpServerRequest request) {
    refreshHealth();
    streams.open(request, () -> EventStreams.event("history", history().encode()));
  }

  EventStreams streams() {
    return streams;
  }

  /** The kept snapshots as columns (as the charts take them), and the latest in full. */
  private JsonObject history() {
    JsonArray times = new JsonArray();
    JsonObject values = new JsonObject();
    series.forEach(one -> values.put(((JsonObject) one).getString("series"), new JsonArray()));
    for (MeterSampler.Sample sample : history) {
      times.add(sample.timeMillis());
      values.forEach(
          column -> ((JsonArray) column.getValue()).add(sample.values().getValue(column.getKey())));
    }
    JsonObject columns =
        new JsonObject().put("series", series).put("time", times).put("values", values);
    if (!history.isEmpty()) {
      columns.put("latest", snapshot(history.getLast(), true));
    }
    return columns;
  }

  private JsonObject snapshot(MeterSampler.Sample sample, boolean withSeries) {
    JsonObject snapshot =
        new JsonObject()
            .put("time", sample.timeMillis())
            .put("values", sample.values())
            .put("totals", sample.totals());
    if (withSeries) {
      snapshot.put("series", series);
    }
    snapshot.put("health", lastHealth).put("node", node());
    if (feed != null) {
      snapshot.put("traffic", feed.latest());
    }
    return snapshot;
  }

  private JsonObject node() {
    JsonObject node = new JsonObject(new LinkedHashMap<>(facts));
    List<String> now = members.get();
    if (!now.isEmpty()) {
      node.put("members", new JsonArray(now));
    }
    return node;
  }

  /**
   * Asks for the health again unless an answer is still awaited (a check may take its timeout, 1
   * s).
   */
  private void refreshHealth() {
    if (healthAsked) {
      return;
    }
    healthAsked = true;
    health
        .report()
        .onComplete(
            report -> {
              healthAsked = false;
              lastHealth = report.result();
            });
  }
}
