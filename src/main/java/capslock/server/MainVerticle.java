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
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * capslock itself: loads the settings (its own config is the configuration file's content),
 * then deploys what its {@code role} asks for: the uppercase workers and, once they serve,
 * the TCP and UDP endpoints. In a cluster the endpoints' requests reach the workers of every
 * node, so a node may run either half alone.
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private final LongAdder piecesUpperCased = new LongAdder();
  private EndpointsVerticle endpoints;

  @Override
  public Future<?> start() {
    Pieces.registerCodec(vertx.eventBus()); // on every node: the pieces cross between them
    return ConfigLoader.load(vertx, config())
        .compose(settings -> deployWorkers(settings)
            .compose(workers -> deployEndpoints(settings)));
  }

  @Override
  public Future<?> stop() {
    Pieces.unregisterCodec(vertx.eventBus());
    return Future.succeededFuture();
  }

  /** The endpoints, once started: their bound ports and counters; null on a {@code workers} node. */
  public EndpointsVerticle endpoints() {
    return endpoints;
  }

  /** Pieces of text this node's workers have upper-cased, for whichever node asked. */
  public long piecesUpperCased() {
    return piecesUpperCased.sum();
  }

  private Future<?> deployWorkers(Settings settings) {
    if (!settings.role().runsWorkers()) {
      log.info("Role endpoints: no uppercase workers here; the cluster's workers serve {}", Uppercase.ADDRESS);
      return Future.succeededFuture();
    }
    int instances = settings.worker().instances();
    return vertx.deployVerticle(() -> new UppercaseVerticle(piecesUpperCased), new DeploymentOptions()
            .setThreadingModel(ThreadingModel.WORKER)
            .setInstances(instances))
        .onSuccess(id -> log.info("{} uppercase worker(s) serving event-bus address {}{}", instances, Uppercase.ADDRESS,
            vertx.isClustered() ? " for the whole cluster" : ""));
  }

  private Future<?> deployEndpoints(Settings settings) {
    if (!settings.role().servesEndpoints()) {
      log.info("Role workers: no TCP or UDP endpoints here");
      return Future.succeededFuture();
    }
    endpoints = new EndpointsVerticle(settings);
    return vertx.deployVerticle(endpoints);
  }
}
