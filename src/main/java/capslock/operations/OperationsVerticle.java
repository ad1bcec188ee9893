package capslock.operations;

import capslock.config.ListenFailure;
import capslock.config.Settings;
import capslock.metrics.TrafficFeed;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.micrometer.PrometheusRequestHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations port ({@code http.port}), for people and tools that watch the service: {@code GET
 * /health} (200 UP or 503 DOWN naming the failing check), {@code GET /metrics} (Prometheus text),
 * and {@code GET /}, a live dashboard fed by {@code GET /events}. It runs on its own event loop and
 * reads the counters once a second (and when asked for /metrics): the endpoints never wait for it.
 */
public final class OperationsVerticle extends VerticleBase {

  /** How often the dashboard's figures are read and pushed. */
  static final Duration SNAPSHOT_EVERY = Duration.ofSeconds(1);

  /**
   * The kernel's send buffer of each connection, fixed rather than grown by the kernel (up to 4 MB
   * on Linux): with the write queue of {@link EventStreams}, what a dashboard that never reads
   * holds on the server. Plenty for /metrics and the snapshots.
   */
  static final int SEND_BUFFER_BYTES = 64 * 1024;

  /**
   * How many connections the kernel completes before they are accepted, each a file once they are;
   * plenty for people and scrapers.
   */
  public static final int ACCEPT_BACKLOG = 64;

  private static final Logger log = LoggerFactory.getLogger(OperationsVerticle.class);

  private final Settings.Http settings;
  private final PrometheusMeterRegistry registry;
  private final Health health;
  private final Dashboard dashboard;
  private final Duration snapshotEvery;
  private HttpServer server;

  /**
   * @param facts what the dashboard says of this node besides its figures (version, role, ports,
   *     transport)
   * @param members the cluster's members now (an empty list when not clustered)
   * @param feed the last requests for the dashboard, or null ({@code http.showTraffic} off)
   */
  public OperationsVerticle(
      Settings.Http settings,
      PrometheusMeterRegistry registry,
      Health health,
      Map<String, String> facts,
      Supplier<List<String>> members,
      TrafficFeed feed) {
    this(settings, registry, health, facts, members, feed, SNAPSHOT_EVERY);
  }

  /** The same, with snapshots every {@code snapshotEvery} (tests make them come faster). */
  OperationsVerticle(
      Settings.Http settings,
      PrometheusMeterRegistry registry,
      Health health,
      Map<String, String> facts,
      Supplier<List<String>> members,
      TrafficFeed feed,
      Duration snapshotEvery) {
    this.settings = settings;
    this.registry = registry;
    this.health = health;
    this.dashboard = new Dashboard(new MeterSampler(registry), health, facts, members, feed);
    this.snapshotEvery = snapshotEvery;
  }

  @Override
  public Future<?> start() {
    dashboard.tick(); // the first reading: the rates count from here
    vertx.setPeriodic(snapshotEvery.toMillis(), tick -> dashboard.tick()); // ends with the verticle
    return StaticFiles.load(vertx).compose(this::listen);
  }

  private Future<HttpServer> listen(StaticFiles files) {
    Handler<HttpServerRequest> metrics = PrometheusRequestHandler.create(registry);
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setSendBufferSize(SEND_BUFFER_BYTES)
                    .setAcceptBacklog(ACCEPT_BACKLOG)
                    // HTTP/1.1 only, which browsers and scrapers speak: with HTTP/2 over clear text
                    // a connection is not counted until its first bytes tell which it is
                    .setHttp2ClearTextEnabled(false)
                    .setIdleTimeout(settings.idleTimeoutSeconds()) // 0: never
                    .setIdleTimeoutUnit(TimeUnit.SECONDS))
            .connectionHandler(new HttpConnections(settings.maxConnections(), registry))
            .requestHandler(
                request -> {
                  if (!HttpMethod.GET.equals(request.method())
                      && !HttpMethod.HEAD.equals(request.method())) {
                    request
                        .response()
                        .setStatusCode(405)
                        .putHeader(HttpHeaders.ALLOW, "GET, HEAD")
                        .end();
                    return;
                  }
                  switch (request.path()) {
                    case "/health" ->
                        health
                            .report()
                            .onSuccess(
                                report ->
                                    request
                                        .response()
                                        .setStatusCode(
                                            report.getString("status").equals("UP") ? 200 : 503)
                                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                        .end(report.encodePrettily()));
                    case "/metrics" -> metrics.handle(request);
                    case "/events" -> dashboard.open(request);
                    default -> {
                      if (!files.serve(request.path(), request.response())) {
                        request
                            .response()
                            .setStatusCode(404)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                            .end("Not found. Try /health, /metrics or / (the dashboard)\n");
                      }
                    }
                  }
                });
    return server
        .listen(settings.port(), settings.host())
        .onSuccess(
            bound ->
                log.info(
                    "HTTP listening on {}:{}: /health, /metrics and a dashboard at /{}",
                    settings.host(),
                    bound.actualPort(),
                    settings.showTraffic() ? " (showing the clients' traffic)" : ""))
        .recover(
            failure ->
                Future.failedFuture(
                    ListenFailure.of("HTTP", settings.host(), settings.port(), failure)));
  }

  /** The HTTP port really bound (useful when {@code http.port} is 0). */
  public int port() {
    return server.actualPort();
  }

  /**
   * The dashboard's open event streams and what each was sent, read on this verticle's event loop
   * (for tests).
   */
  Future<List<EventStreams.Stats>> streams() {
    Promise<List<EventStreams.Stats>> stats = Promise.promise();
    context.runOnContext(onOwnEventLoop -> stats.complete(dashboard.streams().stats()));
    return stats.future();
  }
}
