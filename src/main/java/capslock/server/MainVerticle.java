package capslock.server;

import capslock.config.ConfigLoader;
import capslock.config.Settings;
import capslock.limits.DirectMemory;
import capslock.limits.HeldBytes;
import capslock.limits.OpenFiles;
import capslock.limits.SourceLimits;
import capslock.metrics.Traffic;
import capslock.metrics.TrafficFeed;
import capslock.metrics.TrafficSummary;
import capslock.operations.Health;
import capslock.operations.OperationsVerticle;
import capslock.worker.Pieces;
import capslock.worker.Uppercase;
import capslock.worker.UppercaseVerticle;
import capslock.worker.WorkerProbe;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.Shareable;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * capslock itself: loads the settings (its own config is the configuration file's content), then
 * deploys what its {@code role} asks for: the uppercase workers and, once they serve, the TCP and
 * UDP endpoints. In a cluster the endpoints' requests reach the workers of every node, so a node
 * may run either half alone.
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  /** Fewer TCP connections than this, for want of files, is said as a warning. */
  private static final int FEW_CONNECTIONS = 1_000;

  /** How long the health check waits for a worker to answer. */
  private static final long WORKER_PROBE_TIMEOUT_MS = 1_000;

  /**
   * How long a stopping workers node waits, once its workers are off the cluster's address book,
   * before it tells the other nodes (time for every node to see them gone), and then for the word
   * to leave.
   */
  private static final long HAND_BACK_DELAY_MS = 250;

  private final PrometheusMeterRegistry registry;
  private EndpointsVerticle endpoints;
  private Traffic traffic; // what this instance's endpoints count (null on a workers node)
  private OperationsVerticle operations;
  private TrafficFeed trafficFeed; // the dashboard's last requests (http.showTraffic), or null
  private WarmUpClients warmUpClients; // the start's warm-up's, shared by the node's endpoints
  private NodeEndpoints nodeEndpoints; // which the workers outlive at a stop
  private boolean workersDeployed;
  private Future<String> warmedUp = Future.succeededFuture("no warm-up");

  /**
   * capslock as the launcher starts it: counting into Vert.x's own registry when its metrics are
   * on.
   */
  public MainVerticle() {
    this(meterRegistry());
  }

  /**
   * capslock counting into {@code registry}, which {@code /metrics} serves (an embedding
   * application's, or a test's).
   */
  public MainVerticle(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * With the launcher's {@code -instances N}, N copies of this verticle start on one Vert.x: each
   * deploys endpoints of its own, on its own event loop (Vert.x spreads the TCP port's connections
   * over them; on io_uring the UDP port is shared too, through SO_REUSEPORT). The first of them
   * also deploys what one node needs once: the workers, the operations port and the summary line.
   */
  @Override
  public Future<?> start() {
    Pieces.registerCodec(vertx.eventBus()); // on every node, once: the pieces cross between them
    boolean first =
        vertx.sharedData().getLocalMap("capslock").putIfAbsent("first of " + deploymentID(), true)
            == null;
    nodeEndpoints = nodeWide("endpoints", NodeEndpoints::new);
    return ConfigLoader.load(vertx, config())
        .compose(
            settings ->
                (first ? deployWorkers(settings) : Future.succeededFuture())
                    .compose(workers -> deployEndpoints(settings, first))
                    .compose(
                        endpoints -> first ? deployOperations(settings) : Future.succeededFuture())
                    .onSuccess(started -> warmUpIfAsked(settings, first)));
  }

  /**
   * Once the node serves, the first instance of a node that serves both halves, not clustered,
   * warms its request path through its own ports ({@link PathWarmUp}), until their first real
   * request.
   */
  private void warmUpIfAsked(Settings settings, boolean first) {
    if (!first
        || !settings.warmUp().enabled()
        || !settings.role().servesEndpoints()
        || !settings.role().runsWorkers()
        || vertx.isClustered()) {
      return;
    }
    log.info(
        "Warming up with {} lines sent to this node's own ports from this machine and counted apart,"
            + " for at most {} s or until the first client's request, so that the first lines are"
            + " answered fast (warmUp.seconds=0: no warm-up)",
        String.format("%,d", settings.warmUp().lines()),
        settings.warmUp().seconds());
    warmedUp =
        PathWarmUp.run(vertx, settings, endpoints, traffic, warmUpClients).onSuccess(log::info);
  }

  /** What the start's warm-up did, once done, in a sentence ("no warm-up" when there was none). */
  public Future<String> warmedUp() {
    return warmedUp;
  }

  /**
   * A workers node that stops hands back what its workers held. Vert.x undeploys them first (they
   * are this verticle's children), and then drops without a word what still reaches them or waited
   * in them, which the senders would wait for until this node leaves the cluster. So, once the
   * other nodes have had time to see the workers gone, every node is told to send its requests out
   * again at once ({@link Uppercase#WORKERS_LEFT}).
   */
  @Override
  public Future<?> stop() {
    if (!workersDeployed || !vertx.isClustered()) {
      return Future.succeededFuture();
    }
    String node = ((VertxInternal) vertx).clusterManager().getNodeId();
    return vertx
        .timer(HAND_BACK_DELAY_MS)
        .compose(
            seen -> {
              vertx.eventBus().publish(Uppercase.WORKERS_LEFT, node);
              return vertx.timer(HAND_BACK_DELAY_MS); // the word goes out before the bus closes
            });
  }

  /**
   * Vert.x's own registry when the launcher enabled Vert.x metrics (its figures then show too),
   * else one of our own, so that a test or an embedding application gets the same meters.
   */
  private static PrometheusMeterRegistry meterRegistry() {
    return BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry vertxRegistry
        ? vertxRegistry
        : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * The ports this node bound, once started (-1 for each it has not: see {@code role} and {@code
   * http.port}).
   */
  public record Bound(int tcp, int udp, int http) {}

  /**
   * The ports really bound, which the log says too: for an application that deploys capslock with
   * port 0.
   */
  public Bound bound() {
    return new Bound(
        endpoints == null ? -1 : endpoints.tcpPort(),
        endpoints == null ? -1 : endpoints.udpPort(),
        operations == null ? -1 : operations.port());
  }

  /**
   * The endpoints verticle, once started (null on a {@code workers} node): an application may
   * undeploy it alone.
   */
  public EndpointsVerticle endpoints() {
    return endpoints;
  }

  private Future<?> deployWorkers(Settings settings) {
    if (!settings.role().runsWorkers()) {
      log.info(
          "Role endpoints: no uppercase workers here; the cluster's workers serve {}",
          Uppercase.ADDRESS);
      return Future.succeededFuture();
    }
    int instances = settings.worker().instances();
    IntConsumer piecesUpperCased = Traffic.workerPieces(registry);
    return vertx
        .deployVerticle(
            () -> new UppercaseVerticle(piecesUpperCased, nodeEndpoints::allStopped),
            new DeploymentOptions()
                .setThreadingModel(ThreadingModel.WORKER)
                .setInstances(instances))
        .onSuccess(
            id -> {
              workersDeployed = true;
              log.info(
                  "{} uppercase worker(s) serving event-bus address {}{}",
                  instances,
                  Uppercase.ADDRESS,
                  vertx.isClustered() ? " for the whole cluster" : "");
            });
  }

  private Future<?> deployEndpoints(Settings settings, boolean first) {
    if (!settings.role().servesEndpoints()) {
      log.info("Role workers: no TCP or UDP endpoints here");
      return Future.succeededFuture();
    }
    trafficFeed = settings.http().enabled() && settings.http().showTraffic() ? sharedFeed() : null;
    traffic = new Traffic(registry, trafficFeed);
    warmUpClients = nodeWide("warm-up clients", WarmUpClients::new);
    endpoints =
        new EndpointsVerticle(
            settings,
            traffic,
            tcpRandomPortId(settings),
            udpPortSharing(settings, first),
            nodeWide("limits", () -> sourceLimits(settings)),
            tcpHeld(settings, first),
            warmUpClients,
            nodeEndpoints);
    return vertx
        .deployVerticle(endpoints)
        .onSuccess(
            deployed -> {
              if (first) {
                new TrafficSummary(traffic).start(vertx);
              }
            });
  }

  /**
   * The node's limits on sources and connections, with no more TCP connections in all than fit in
   * the files the process may open, besides the HTTP port's and those still to be accepted.
   */
  private SourceLimits sourceLimits(Settings settings) {
    Settings.Limits limits = settings.limits();
    Settings.Http http = settings.http();
    int reserved = http.enabled() ? http.maxConnections() + OperationsVerticle.ACCEPT_BACKLOG : 0;
    OpenFiles files = OpenFiles.now();
    int fit = files.connectionsThatFit(reserved);
    if (limits.tcpMaxConnections() > fit) {
      log.atLevel(fit < FEW_CONNECTIONS ? Level.WARN : Level.INFO)
          .log(
              "At most {} TCP connections in all (tcp.limits.maxConnections is {}): this process"
                  + " may open {} files (ulimit -n), {} are open, and {} are kept for the HTTP port,"
                  + " connections being accepted and the rest",
              fit,
              limits.tcpMaxConnections(),
              files.max(),
              files.open(),
              files.max() - files.open() - fit);
      limits = limits.withTcpMaxConnections(fit);
    }
    return new SourceLimits(limits, traffic::udpDatagramLimited, traffic::tcpConnectionRejected);
  }

  /**
   * What the node's TCP connections hold, against {@code tcp.maxPendingBytes}: one for the node,
   * watched as the gauge {@code capslock.tcp.held.bytes}.
   */
  private HeldBytes tcpHeld(Settings settings, boolean first) {
    HeldBytes held =
        nodeWide(
            "TCP held bytes",
            () ->
                new HeldBytes(
                    settings.tcp().maxPendingBytes(),
                    DirectMemory.ofThisJvm(ByteBufAllocator.DEFAULT)));
    if (first) {
      Gauge.builder("capslock.tcp.held.bytes", held, HeldBytes::held)
          .description(
              "Bytes the TCP connections hold: pieces not yet answered, replies not yet sent")
          .baseUnit("bytes")
          .register(registry);
      Gauge.builder("capslock.tcp.node.pressed", held, node -> node.pressed() ? 1 : 0)
          .description(
              "1 while the node is pressed: its TCP connections read 1 KiB at a time (it holds half"
                  + " tcp.maxPendingBytes, or direct memory runs short)")
          .register(registry);
      Gauge.builder("capslock.tcp.node.full", held, node -> node.full() ? 1 : 0)
          .description(
              "1 while the node is full: a TCP connection that holds anything reads again only once"
                  + " it has gone")
          .register(registry);
    }
    return held;
  }

  /** One feed of the last requests for the node, whichever of its endpoints took them. */
  private TrafficFeed sharedFeed() {
    return nodeWide("feed", TrafficFeed::new);
  }

  /** What the instances of this deployment share: the first to ask makes it. */
  @SuppressWarnings("unchecked")
  private <T extends Shareable> T nodeWide(String name, Supplier<T> make) {
    var node = vertx.sharedData().<String, Shareable>getLocalMap("capslock");
    return (T) node.computeIfAbsent(name + " of " + deploymentID(), key -> make.get());
  }

  /**
   * With {@code -instances N} and {@code tcp.port} 0: the id of the free port that the instances
   * share (Vert.x's shared random port), one per deployment; else 0, none.
   */
  private int tcpRandomPortId(Settings settings) {
    if (context.getInstanceCount() <= 1 || settings.tcp().port() != 0) {
      return 0;
    }
    return nodeWide("random TCP port", () -> new RandomPortId(nextRandomPortId())).id();
  }

  /** A shared random port's id, not yet used in this Vert.x. */
  private int nextRandomPortId() {
    return vertx
        .sharedData()
        .<String, Integer>getLocalMap("capslock random TCP ports")
        .compute("last id", (key, last) -> last == null ? 1 : last + 1);
  }

  private record RandomPortId(int id) implements Shareable {}

  /**
   * How this instance's UDP endpoint shares the port with the others of {@code -instances N}:
   * through SO_REUSEPORT on a native transport; on Java NIO, which has no such option here, or for
   * a free port ({@code udp.port} 0), which one instance chooses as it binds it, only the first
   * binds it.
   */
  private EndpointsVerticle.UdpPort udpPortSharing(Settings settings, boolean first) {
    if (context.getInstanceCount() <= 1) {
      return EndpointsVerticle.UdpPort.ALONE;
    }
    if (settings.udp().port() == 0) {
      if (first) {
        log.info(
            "UDP is served by one of the {} instances: the free port it binds (udp.port 0) is its"
                + " own",
            context.getInstanceCount());
      }
      return first ? EndpointsVerticle.UdpPort.ALONE : EndpointsVerticle.UdpPort.NONE;
    }
    if (vertx.isNativeTransportEnabled()) {
      return EndpointsVerticle.UdpPort.SHARED;
    }
    if (first) {
      log.info(
          "UDP is served by one of the {} instances: Java NIO cannot share its port (io_uring can)",
          context.getInstanceCount());
    }
    return first ? EndpointsVerticle.UdpPort.ALONE : EndpointsVerticle.UdpPort.NONE;
  }

  private Future<?> deployOperations(Settings settings) {
    if (!settings.http().enabled()) {
      return Future.succeededFuture();
    }
    Health health = new Health(vertx);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("version", version());
    facts.put(
        "role",
        settings.role().name().toLowerCase(Locale.ROOT)
            + (vertx.isClustered() ? ", clustered" : ""));
    if (endpoints != null) {
      health
          .check("tcp", () -> listening(endpoints.tcpPort()))
          .check(
              "udp",
              () ->
                  listening(endpoints.udpPort())
                      .compose(
                          bound ->
                              endpoints.udpKeepsUp().map(keepingUp -> bound + ", " + keepingUp)));
      facts.put("TCP port", String.valueOf(endpoints.tcpPort()));
      facts.put("UDP port", String.valueOf(endpoints.udpPort()));
    }
    facts.put("transport", Transports.name(vertx));
    health.check(
        "workers",
        () ->
            WorkerProbe.probe(vertx, WORKER_PROBE_TIMEOUT_MS)
                .map(micros -> "a worker answered in " + micros + " µs"));
    operations =
        new OperationsVerticle(
            settings.http(), registry, health, facts, this::clusterMembers, trafficFeed);
    return vertx.deployVerticle(operations);
  }

  /** The cluster's members (node ids, this one marked); none when not clustered. */
  private List<String> clusterMembers() {
    ClusterManager cluster = vertx.isClustered() ? ((VertxInternal) vertx).clusterManager() : null;
    return cluster == null
        ? List.of()
        : cluster.getNodes().stream()
            .map(id -> id.equals(cluster.getNodeId()) ? id + " (this node)" : id)
            .toList();
  }

  private Future<String> listening(int port) {
    return endpoints.serving()
        ? Future.succeededFuture("listening on port " + port)
        : Future.failedFuture("not listening: the endpoints are stopping");
  }

  /** capslock's version, from the jar's manifest. */
  public static String version() {
    String version = MainVerticle.class.getPackage().getImplementationVersion();
    return version != null ? version : "(development build)";
  }
}
