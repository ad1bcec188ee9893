package capslock.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.config.Settings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /events}: a client that opens the stream and never reads must not grow the server's
 * memory. Snapshots come every 2 ms here, each with 100 figures (about 5 kB), so that such a
 * client's buffers fill within a second instead of within minutes.
 */
@ExtendWith(VertxExtension.class)
class EventStreamsTest {

  private static final Duration FAST = Duration.ofMillis(2);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Test
  void aClientThatNeverReadsSkipsSnapshotsWhileTheServerQueuesNothingMoreForItAndOthersGoOn(
      Vertx vertx) throws Exception {
    OperationsVerticle operations = deploy(vertx);
    EventStreamClient reader =
        EventStreamClient.open(vertx, operations.port()).await(10, TimeUnit.SECONDS);

    try (Socket silent = new Socket()) {
      // small, and never read: the server's writes soon find it full
      silent.setReceiveBufferSize(4096);
      silent.connect(new InetSocketAddress("127.0.0.1", operations.port()));
      OutputStream out = silent.getOutputStream();
      out.write(
          "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String client = ":" + silent.getLocalPort();

      EventStreams.Stats full =
          await(vertx, operations, client, stats -> stats.eventsSkipped() > 0);
      EventStreams.Stats later =
          await(
              vertx,
              operations,
              client,
              stats -> stats.eventsSkipped() >= full.eventsSkipped() + 500);
      System.out.printf(
          "The silent client: %d events (%,d bytes) written before its queue was full, %d skipped then;"
              + " %d events (%,d bytes) written and %d skipped 500 snapshots later%n",
          full.eventsWritten(),
          full.bytesWritten(),
          full.eventsSkipped(),
          later.eventsWritten(),
          later.bytesWritten(),
          later.eventsSkipped());
      assertTrue(later.writeQueueFull(), "its write queue is still full: " + later);
      assertTrue(
          later.eventsWritten() <= full.eventsWritten() + 1,
          "nothing more is queued for it while 500 snapshots go by: " + full + " then " + later);
      // what it was ever sent: the kernel's buffers of both ends (the server's fixed) and the write
      // queue
      assertTrue(later.bytesWritten() < 512 * 1024, "what it was ever sent is bounded: " + later);

      // the reader meanwhile got its snapshots, and still does
      long lastSeen =
          reader.received().await().stream()
              .filter(event -> event.name().equals("snapshot"))
              .mapToLong(event -> event.data().getLong("time"))
              .max()
              .orElse(0);
      assertTrue(lastSeen > 0, "the reading client had snapshots all along");
      reader
          .next(event -> event.name().equals("snapshot") && event.data().getLong("time") > lastSeen)
          .await(10, TimeUnit.SECONDS);
    }

    // closed: forgotten, the reader's stream alone is left
    awaitStreams(vertx, operations, streams -> streams.size() == 1);
    reader.close().await();
    awaitStreams(vertx, operations, List::isEmpty);
  }

  @Test
  void theFirstEventIsTheHistoryThenOneSnapshotPerTick(Vertx vertx) throws Exception {
    OperationsVerticle operations = deploy(vertx);
    EventStreamClient earlier =
        EventStreamClient.open(vertx, operations.port()).await(10, TimeUnit.SECONDS);
    long[] snapshots = {0};
    earlier
        .next(event -> event.name().equals("snapshot") && ++snapshots[0] == 10)
        .await(10, TimeUnit.SECONDS);
    EventStreamClient events =
        EventStreamClient.open(vertx, operations.port()).await(10, TimeUnit.SECONDS);
    EventStreamClient.Event first = events.next(event -> true).await(10, TimeUnit.SECONDS);
    assertEquals("history", first.name());
    assertTrue(first.data().getJsonArray("time").size() >= 10, "the snapshots so far come at once");
    assertEquals(
        first.data().getJsonArray("time").size(),
        first.data().getJsonObject("values").getJsonArray("capslock.test.figure7").size());
    assertEquals(
        100, // and the port's own, such as its connections turned away
        first.data().getJsonArray("series").stream()
            .filter(one -> ((JsonObject) one).getString("series").startsWith("capslock.test."))
            .count());
    assertEquals(
        "test", first.data().getJsonObject("latest").getJsonObject("node").getString("role"));
    EventStreamClient.Event next =
        events.next(event -> event.name().equals("snapshot")).await(10, TimeUnit.SECONDS);
    assertEquals(7.0, next.data().getJsonObject("values").getDouble("capslock.test.figure7"));
    assertTrue(
        next.data().getValue("series") == null, "the series are sent again only when they change");
    events.close().await();
    earlier.close().await();
  }

  private static OperationsVerticle deploy(Vertx vertx) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (int i = 0; i < 100; i++) {
      int value = i;
      Gauge.builder("capslock.test.figure" + i, () -> value)
          .description("figure number " + i + " of the test")
          .register(registry);
    }
    OperationsVerticle operations =
        new OperationsVerticle(
            new Settings.Http("127.0.0.1", 0, false, 100, 60),
            registry,
            new Health(vertx),
            Map.of("role", "test"),
            List::of,
            null,
            FAST);
    vertx.deployVerticle(operations).await(10, TimeUnit.SECONDS);
    return operations;
  }

  /**
   * Polls the server's view of the stream from {@code client} (its port) until {@code until} holds.
   */
  private static EventStreams.Stats await(
      Vertx vertx,
      OperationsVerticle operations,
      String client,
      Predicate<EventStreams.Stats> until) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Optional<EventStreams.Stats> stream =
          operations.streams().await().stream()
              .filter(stats -> stats.client().endsWith(client))
              .findFirst();
      if (stream.isPresent() && until.test(stream.get())) {
        return stream.get();
      }
      assertTrue(System.nanoTime() < deadline, "within " + PATIENCE + ": " + stream);
      vertx.timer(10).await();
    }
  }

  private static void awaitStreams(
      Vertx vertx, OperationsVerticle operations, Predicate<List<EventStreams.Stats>> until) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    List<EventStreams.Stats> streams = operations.streams().await();
    while (!until.test(streams)) {
      assertTrue(System.nanoTime() < deadline, "within " + PATIENCE + ": " + streams);
      vertx.timer(10).await();
      streams = operations.streams().await();
    }
  }
}
