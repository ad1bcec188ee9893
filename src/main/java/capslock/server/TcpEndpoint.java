package capslock.server;

import capslock.config.ListenFailure;
import capslock.config.Settings;
import capslock.limits.HeldBytes;
import capslock.limits.SourceLimits;
import capslock.metrics.Occurrences;
import capslock.metrics.Traffic;
import capslock.worker.Uppercase;
import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The TCP front end: a {@link NetServer} that gives each accepted connection its own {@link
 * TcpConnection}.
 */
final class TcpEndpoint {

  /**
   * How many connections the kernel completes before they are accepted (at most {@code
   * net.core.somaxconn}): a thousand clients that connect at once all get in, and as many wait
   * while the node has its most connections.
   */
  static final int ACCEPT_BACKLOG = 1024;

  /**
   * What a connection is taken on: where it is counted, and the limits its source meets. The real
   * clients' and the warm-up's are two of these, so that the code that takes a connection takes the
   * same turns for both (with the defaults, for a client on this machine): the code the warm-up
   * compiled is a person's too (docs/PERFORMANCE.md, "The warm-up's own turns").
   */
  private record Terms(Traffic counted, SourceLimits limits) {}

  private final Settings.Tcp settings;
  private final Uppercase uppercase;
  private final WarmUpClients warmUpClients;
  private final Terms clients;
  private final Terms warmUp;
  private final HeldBytes nodeHeld;
  private final Occurrences endedInputResets = new Occurrences();
  private final EndOfTurn endOfTurn;
  private final NetServer server;

  TcpEndpoint(
      Vertx vertx,
      Settings.Tcp settings,
      Uppercase uppercase,
      SourceLimits limits,
      Traffic traffic,
      WarmUpClients warmUpClients,
      HeldBytes nodeHeld) {
    this.settings = settings;
    this.uppercase = uppercase;
    this.warmUpClients = warmUpClients;
    this.clients = new Terms(traffic, limits);
    this.warmUp = new Terms(warmUpClients.traffic(), warmUpClients.limits());
    this.nodeHeld = nodeHeld;
    this.endOfTurn = new EndOfTurn(vertx.getOrCreateContext());
    this.server =
        vertx
            .createNetServer(
                new NetServerOptions()
                    .setAcceptBacklog(ACCEPT_BACKLOG)
                    .setIdleTimeout(settings.idleTimeoutSeconds()) // 0: never
                    .setIdleTimeoutUnit(TimeUnit.SECONDS))
            .connectHandler(this::accept);
  }

  /**
   * Serves a new connection, or closes it at once when its source is over a limit; the start's
   * warm-up's connections are counted apart, and meet limits of their own.
   */
  private void accept(NetSocket socket) {
    Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
    InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
    Terms terms = warmUpClients.includesTcp(remote) ? warmUp : clients;
    InetAddress source = remote.getAddress();
    Channel listening = channel.parent(); // the port's, shared by the instances
    if (!terms.limits().admitConnection(source, () -> accepting(listening, false))) {
      socket.close();
      return;
    }
    serve(socket, terms.counted())
        .onComplete(
            closed -> terms.limits().connectionClosed(source, () -> accepting(listening, true)));
  }

  private Future<Void> serve(NetSocket socket, Traffic counted) {
    return new TcpConnection(
            socket,
            Vertx.currentContext(),
            endOfTurn,
            uppercase,
            counted,
            nodeHeld,
            endedInputResets)
        .serve();
  }

  /**
   * Starts or stops accepting connections on the port. While it does not, new clients wait in the
   * kernel's queue ({@link #ACCEPT_BACKLOG}), each holding no file of the node's: closing each at
   * once instead would take a file for each first, faster than they are given back.
   */
  private static void accepting(Channel listening, boolean on) {
    listening.config().setAutoRead(on);
  }

  /**
   * @param randomPortId when above 0, a free port is bound that the other servers of this id share
   *     (the launcher's {@code -instances} with {@code tcp.port} 0)
   */
  Future<Void> listen(int randomPortId) {
    return server
        .listen(
            randomPortId > 0
                ? SocketAddress.sharedRandomPort(randomPortId, settings.host())
                : SocketAddress.inetSocketAddress(settings.port(), settings.host()))
        .<Void>mapEmpty()
        .recover(
            failure ->
                Future.failedFuture(
                    ListenFailure.of("TCP", settings.host(), settings.port(), failure)));
  }

  /**
   * Stops accepting, lets each connection finish the replies it owes for up to {@code grace}, then
   * closes.
   */
  Future<Void> shutdown(Duration grace) {
    return server.shutdown(grace);
  }

  int port() {
    return server.actualPort();
  }
}
