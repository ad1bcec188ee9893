package capslock.server;

import capslock.config.Settings;
import capslock.limits.SourceLimits;
import capslock.metrics.Traffic;
import capslock.worker.Uppercase;
import capslock.worker.UppercaseEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
    Uppercase uppercase = new Uppercase(vertx, settings.worker().instances(), countedIn(traffic));
    SourceLimits limits = new SourceLimits(settings.limits(), traffic::udpDatagramLimited, traffic::tcpConnectionRejected);
    tcp = new TcpEndpoint(vertx, settings.tcp(), uppercase, limits, traffic);
    udp = new UdpEndpoint(vertx, settings.udp(), uppercase, limits, traffic);
    return Future.all(tcp.listen(), udp.listen()).onSuccess(bound -> serving = true);
  }

  private static UppercaseEvents countedIn(Traffic traffic) {
    return new UppercaseEvents() {
      @Override
      public void replied(long nanos) {
        traffic.workerReplied(nanos);
      }

      @Override
      public void retried() {
        traffic.workerRetried();
      }

      @Override
      public void upperCasedLocally(int pieces) {
        traffic.upperCasedLocally(pieces);
      }
    };
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

  /**
   * Whether UDP replies keep up: fails when the oldest request waiting for its reply has waited
   * longer than a client would (a second). Looked at on the endpoints' own event loop.
   */
  public Future<String> udpKeepsUp() {
    Promise<String> answer = Promise.promise();
    context.runOnContext(onOwnEventLoop -> {
      long waited = udp.oldestWaitMillis();
      if (waited > UdpEndpoint.LATE.toMillis()) {
        answer.fail("replies are falling behind: the oldest request has waited " + waited + " ms");
      } else {
        answer.complete("replies keep up");
      }
    });
    return answer.future();
  }
}
