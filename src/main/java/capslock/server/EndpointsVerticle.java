package capslock.server;

import capslock.config.Settings;
import capslock.limits.HeldBytes;
import capslock.limits.SourceLimits;
import capslock.metrics.Traffic;
import capslock.worker.Uppercase;
import capslock.worker.UppercaseEvents;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side: the TCP and UDP endpoints, on one event loop. They do no upper-casing of their
 * own; every piece of text goes over the event bus to the uppercase workers.
 */
public final class EndpointsVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(EndpointsVerticle.class);

  /** How long a stopping server waits for the replies it still owes. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /**
   * How the UDP endpoint holds its port: alone, shared with other instances (SO_REUSEPORT), or not
   * at all.
   */
  public enum UdpPort {
    ALONE,
    SHARED,
    NONE
  }

  private final Settings settings;
  private final Traffic traffic;
  private final int tcpRandomPortId;
  private final UdpPort udpPort;
  private final SourceLimits limits;
  private final HeldBytes tcpHeld;
  private final WarmUpClients warmUpClients;
  private final NodeEndpoints node;
  private final Promise<Void> stopping = Promise.promise();
  private volatile boolean serving; // read by the health check, on another event loop
  private TcpEndpoint tcp;
  private UdpEndpoint udp;
  private Uppercase uppercase;

  /**
   * @param traffic where the endpoints count what they do
   * @param tcpRandomPortId with the launcher's {@code -instances} and {@code tcp.port} 0, the id of
   *     the free port the instances share (Vert.x's shared random port); else 0
   * @param udpPort how the UDP port is held, with the launcher's {@code -instances}
   * @param limits the node's limits per source, shared by its instances
   * @param tcpHeld what the node's TCP connections hold, against its bound, shared likewise
   * @param warmUpClients the start's warm-up's clients ({@link PathWarmUp}), which are answered
   *     like any client but counted apart and held to no limit
   * @param node the node's endpoints, which its workers outlive at a stop
   */
  EndpointsVerticle(
      Settings settings,
      Traffic traffic,
      int tcpRandomPortId,
      UdpPort udpPort,
      SourceLimits limits,
      HeldBytes tcpHeld,
      WarmUpClients warmUpClients,
      NodeEndpoints node) {
    this.settings = settings;
    this.traffic = traffic;
    this.tcpRandomPortId = tcpRandomPortId;
    this.udpPort = udpPort;
    this.limits = limits;
    this.tcpHeld = tcpHeld;
    this.warmUpClients = warmUpClients;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    uppercase = new Uppercase(vertx, settings.worker().instances(), countedIn(traffic));
    tcp =
        new TcpEndpoint(vertx, settings.tcp(), uppercase, limits, traffic, warmUpClients, tcpHeld);
    udp =
        udpPort == UdpPort.NONE
            ? null
            : new UdpEndpoint(
                vertx,
                settings.udp(),
                udpPort == UdpPort.SHARED,
                uppercase,
                limits,
                traffic,
                warmUpClients);
    return Future.all(
            tcp.listen(tcpRandomPortId), udp == null ? Future.succeededFuture() : udp.listen())
        .onSuccess(
            bound -> {
              serving = true;
              node.started();
              log.info("TCP listening on {}:{}", settings.tcp().host(), tcpPort());
              if (udp != null) {
                log.info("UDP listening on {}:{}", settings.udp().host(), udpPort());
              }
            });
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

  /**
   * Takes no new request, sends what it owes (for at most {@link #SHUTDOWN_GRACE}), then closes.
   */
  @Override
  public Future<?> stop() {
    serving = false;
    stopping.complete();
    return Future.join( // both finish, whatever the other does
            tcp.shutdown(SHUTDOWN_GRACE),
            udp == null ? Future.succeededFuture() : udp.shutdown(SHUTDOWN_GRACE))
        .andThen(
            closed -> {
              uppercase.close(); // what no worker answered in the grace
              node.stopped(); // Vert.x stops only what started
            });
  }

  /** The TCP port really bound (useful when {@code tcp.port} is 0). */
  public int tcpPort() {
    return tcp.port();
  }

  /**
   * The UDP port really bound (useful when {@code udp.port} is 0); -1 for an instance that serves
   * TCP only.
   */
  public int udpPort() {
    return udp == null ? -1 : udp.port();
  }

  /** The UDP channel (for a test), or null for an instance that serves TCP only. */
  DatagramChannel udpChannel() {
    return udp == null ? null : udp.channel();
  }

  /** The size of the buffer each datagram is read into; -1 for an instance that serves TCP only. */
  int udpReadBufferBytes() {
    return udp == null ? -1 : udp.readBufferBytes();
  }

  /** Done as the endpoints begin to stop: they take no new request from then on. */
  Future<Void> stopping() {
    return stopping.future();
  }

  /** Whether both ports are bound and taking requests: false before start and once stopping. */
  public boolean serving() {
    return serving;
  }

  /**
   * Whether UDP replies keep up: fails when the oldest request waiting for its reply has waited
   * longer than a client would (a second, after the simulated delay). Looked at on the endpoints'
   * own event loop.
   */
  public Future<String> udpKeepsUp() {
    Promise<String> answer = Promise.promise();
    context.runOnContext(
        onOwnEventLoop -> {
          long waited = udp == null ? 0 : udp.oldestWaitMillis();
          if (udp != null && waited > udp.lateMillis()) {
            answer.fail(
                "replies are falling behind: the oldest request has waited " + waited + " ms");
          } else {
            answer.complete("replies keep up");
          }
        });
    return answer.future();
  }
}
