package capslock.server;

import capslock.config.Settings;
import capslock.limits.SourceLimits;
import capslock.metrics.Traffic;
import capslock.metrics.TrafficSummary;
import capslock.worker.Uppercase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;

/**
 * The network side: the TCP and UDP endpoints, on one event loop. They do no upper-casing
 * of their own; every piece of text goes over the event bus to the uppercase workers.
 */
public final class EndpointsVerticle extends VerticleBase {

  /** How long a stopping server waits for the replies it still owes. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private final Settings settings;
  private final Traffic traffic;
  private SourceLimits limits;
  private Uppercase uppercase;
  private volatile boolean serving; // read by the health check, on another event loop
  private TcpEndpoint tcp;
  private UdpEndpoint udp;

  /** @param traffic where the endpoints count what they do */
  public EndpointsVerticle(Settings settings, Traffic traffic) {
    this.settings = settings;
    this.traffic = traffic;
  }

  @Override
  public Future<?> start() {
    uppercase = new Uppercase(vertx, settings.worker().instances(), traffic::workerReplied);
    limits = new SourceLimits(settings.limits());
    tcp = new TcpEndpoint(vertx, settings.tcp(), uppercase, limits, traffic);
    udp = new UdpEndpoint(vertx, settings.udp(), uppercase, limits, traffic);
    traffic.count("capslock.limits.udp.datagrams.limited", "UDP datagrams not answered: their source was over its limit",
        limits::limitedDatagrams);
    traffic.count("capslock.limits.tcp.connections.rejected", "TCP connections closed at once: over a connection limit",
        limits::rejectedConnections);
    traffic.count("capslock.worker.retries", "requests to the workers sent again after a failure", uppercase::retries);
    traffic.count("capslock.worker.local.fallbacks", "pieces upper-cased by the endpoints because no worker answered",
        uppercase::piecesUpperCasedLocally);
    new TrafficSummary(traffic, this::errors).start(vertx);
    return Future.all(tcp.listen(), udp.listen()).onSuccess(bound -> serving = true);
  }

  /** What clients would notice: replies dropped for size, requests and connections over a limit. */
  private long errors() {
    return traffic.udpOversizeRepliesDropped.sum() + limits.limitedDatagrams() + limits.rejectedConnections();
  }

  @Override
  public Future<?> stop() {
    serving = false;
    return Future.all(tcp.shutdown(SHUTDOWN_GRACE), udp.shutdown(SHUTDOWN_GRACE));
  }

  /** The TCP port really bound (useful when {@code tcp.port} is 0). */
  public int tcpPort() {
    return tcp.port();
  }

  /** The UDP port really bound (useful when {@code udp.port} is 0). */
  public int udpPort() {
    return udp.port();
  }

  /** Whether both ports are bound and taking requests: false before start and once stopping. */
  public boolean serving() {
    return serving;
  }

  /** The per-source limits, with their counts of datagrams not answered and connections closed. */
  public SourceLimits limits() {
    return limits;
  }

  /** What the endpoints have counted. */
  public Traffic traffic() {
    return traffic;
  }

  /** The way to the workers, with its counts of requests sent again and pieces upper-cased here. */
  public Uppercase uppercase() {
    return uppercase;
  }
}
