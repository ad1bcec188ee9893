package capslock.operations;

import capslock.config.ListenFailure;
import capslock.config.Settings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.micrometer.PrometheusRequestHandler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations port ({@code http.port}), for people and tools that watch the service:
 * {@code GET /health} (200 UP or 503 DOWN naming the failing check), {@code GET /metrics}
 * (Prometheus text) and {@code GET /} (a status page that refreshes itself). It runs on its
 * own event loop and reads the counters only when asked: the endpoints never wait for it.
 */
public final class OperationsVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(OperationsVerticle.class);

  private final Settings.Http settings;
  private final PrometheusMeterRegistry registry;
  private final Health health;
  private final Map<String, String> facts;
  private HttpServer server;

  /**
   * @param facts what the status page says of this node besides its figures (ports, role, version)
   */
  public OperationsVerticle(Settings.Http settings, PrometheusMeterRegistry registry, Health health,
                            Map<String, String> facts) {
    this.settings = settings;
    this.registry = registry;
    this.health = health;
    this.facts = facts;
  }

  @Override
  public Future<?> start() {
    Handler<HttpServerRequest> metrics = PrometheusRequestHandler.create(registry);
    StatusPage page = new StatusPage(registry, facts);
    server = vertx.createHttpServer().requestHandler(request -> {
      if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
        request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
        return;
      }
      switch (request.path()) {
        case "/health" -> health.report().onSuccess(report -> request.response()
            .setStatusCode(report.getString("status").equals("UP") ? 200 : 503)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(report.encodePrettily()));
        case "/metrics" -> metrics.handle(request);
        case "/" -> health.report().onSuccess(report -> request.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
            .end(page.render(report)));
        default -> request.response().setStatusCode(404)
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
            .end("Not found. Try /health, /metrics or /\n");
      }
    });
    return server.listen(settings.port(), settings.host())
        .onSuccess(bound -> log.info("HTTP listening on {}:{}: /health, /metrics and a status page at /",
            settings.host(), bound.actualPort()))
        .recover(failure -> Future.failedFuture(
            ListenFailure.of("HTTP", settings.host(), settings.port(), failure)));
  }

  /** The HTTP port really bound (useful when {@code http.port} is 0). */
  public int port() {
    return server.actualPort();
  }
}
