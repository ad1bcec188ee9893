package capslock.server;

import capslock.config.ConfigLoader;
import capslock.config.Settings;
import capslock.worker.Pieces;
import capslock.worker.Uppercase;
import capslock.worker.UppercaseVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * capslock itself: loads the settings (its own config is the configuration file's content),
 * then deploys the uppercase workers and, once they serve, the TCP and UDP endpoints.
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private EndpointsVerticle endpoints;

  @Override
  public Future<?> start() {
    Pieces.registerCodec(vertx.eventBus());
    return ConfigLoader.load(vertx, config())
        .compose(settings -> deployWorkers(settings)
            .compose(workers -> deployEndpoints(settings)));
  }

  @Override
  public Future<?> stop() {
    Pieces.unregisterCodec(vertx.eventBus());
    return Future.succeededFuture();
  }

  /** The endpoints, once started: their bound ports and counters. */
  public EndpointsVerticle endpoints() {
    return endpoints;
  }

  private Future<String> deployWorkers(Settings settings) {
    int instances = settings.worker().instances();
    return vertx.deployVerticle(UppercaseVerticle::new, new DeploymentOptions()
            .setThreadingModel(ThreadingModel.WORKER)
            .setInstances(instances))
        .onSuccess(id -> log.info("{} uppercase worker(s) serving event-bus address {}", instances, Uppercase.ADDRESS));
  }

  private Future<String> deployEndpoints(Settings settings) {
    endpoints = new EndpointsVerticle(settings);
    return vertx.deployVerticle(endpoints);
  }
}
