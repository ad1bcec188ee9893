package capslock.server;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** capslock deployed in the test's Vert.x, on loopback, on ports the system picks. */
public final class TestServer {

  private TestServer() {
  }

  /** Deploys capslock with {@code overrides} merged over a loopback, port-0 configuration. */
  public static Future<EndpointsVerticle> start(Vertx vertx, JsonObject overrides) {
    return deploy(vertx, overrides).map(MainVerticle::endpoints);
  }

  /** The same, giving the whole service (its workers' count, and its endpoints if its role has them). */
  public static Future<MainVerticle> deploy(Vertx vertx, JsonObject overrides) {
    JsonObject config = new JsonObject()
        .put("tcp", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("udp", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .mergeIn(overrides, true);
    MainVerticle main = new MainVerticle();
    return vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).map(id -> main);
  }

  public static Future<EndpointsVerticle> start(Vertx vertx) {
    return start(vertx, new JsonObject());
  }
}
