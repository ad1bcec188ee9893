package capslock.server;

import capslock.config.Settings;
import capslock.limits.SourceLimits;
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
  private SourceLimits limits;
  private Uppercase uppercase;
  private TcpEndpoint tcp;
  private UdpEndpoint udp;

  public EndpointsVerticle(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    uppercase = new Uppercase(vertx, settings.worker().instances());
    limits = new SourceLimits(settings.limits());
    tcp = new TcpEndpoint(vertx, settings.tcp(), uppercase, limits);
    udp = new UdpEndpoint(vertx, settings.udp(), uppercase, limits);
    return Future.all(tcp.listen(), udp.listen());
  }

  @Override
  public Future<?> stop() {
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

  /** UDP replies dropped for being larger than {@code udp.maxDatagramBytes}. */
  public long oversizeUdpReplies() {
    return udp.oversizeReplies();
  }

  /** The per-source limits, with their counts of datagrams not answered and connections closed. */
  public SourceLimits limits() {
    return limits;
  }

  /** The way to the workers, with its counts of requests sent again and pieces upper-cased here. */
  public Uppercase uppercase() {
    return uppercase;
  }

  /** UDP requests dropped on purpose by {@code udp.simulatedLoss}. */
  public long simulatedUdpLosses() {
    return udp.simulatedLosses();
  }
}
