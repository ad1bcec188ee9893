package capslock.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * capslock deployed in the test's Vert.x, on loopback, on ports the system picks, counting into a
 * registry of its own.
 */
public final class TestServer {

  private TestServer() {}

  /** The service running, and what it counted. */
  public record Running(MainVerticle main, PrometheusMeterRegistry registry) {

    public EndpointsVerticle endpoints() {
      return main.endpoints();
    }

    public int tcpPort() {
      return main.bound().tcp();
    }

    public int udpPort() {
      return main.bound().udp();
    }

    public int httpPort() {
      return main.bound().http();
    }

    /** The count of a {@code capslock.*} counter, 0 if nothing was counted yet. */
    public long count(String meter) {
      Counter counter = registry.find(meter).counter();
      return counter == null ? 0 : (long) counter.count();
    }
  }

  /**
   * Deploys capslock with {@code overrides} merged over a loopback, port-0 configuration without
   * the start's warm-up.
   */
  public static Future<Running> start(Vertx vertx, JsonObject overrides) {
    return start(vertx, overrides, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** As {@link #start(Vertx, JsonObject)}, counting into {@code registry}, as an embedder's. */
  public static Future<Running> start(
      Vertx vertx, JsonObject overrides, PrometheusMeterRegistry registry) {
    JsonObject config =
        new JsonObject()
            .put("tcp", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("udp", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("warmUp", new JsonObject().put("seconds", 0)) // a test sends its own lines
            .mergeIn(overrides, true);
    MainVerticle main = new MainVerticle(registry);
    return vertx
        .deployVerticle(main, new DeploymentOptions().setConfig(config))
        .map(id -> new Running(main, registry));
  }

  public static Future<Running> start(Vertx vertx) {
    return start(vertx, new JsonObject());
  }
}
