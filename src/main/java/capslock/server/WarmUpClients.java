package capslock.server;

import capslock.config.Settings;
import capslock.limits.SourceLimits;
import capslock.metrics.Traffic;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.shareddata.Shareable;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The start's warm-up clients ({@link PathWarmUp}), known by the addresses their sockets are bound
 * to, TCP and UDP apart (the same port number may be a TCP client's and another UDP client's). The
 * real endpoints answer them as they answer anyone, through the same code on the same event loops,
 * but count them in a registry of their own and hold them to limits of their own: the node's
 * counters, limits, dashboard and summary stay the real clients'. Both are given to that code as
 * data, of the real ones' kinds, so that it takes the same turns for a local client as for the
 * warm-up's: a turn the warm-up never took would undo the code compiled for it at a person's first
 * line (docs/PERFORMANCE.md, "The warm-up's own turns"). A client is added before its first packet
 * leaves, so that its connection is known when it is accepted, and all are forgotten when the
 * warm-up is over. One per node, shared by the endpoints of every instance; used from the warm-up's
 * threads and the event loops.
 */
final class WarmUpClients implements Shareable {

  private final Set<InetSocketAddress> tcp = ConcurrentHashMap.newKeySet();
  private final Set<InetSocketAddress> udp = ConcurrentHashMap.newKeySet();
  // a registry of the real one's kind, so that the counting code compiled for it is the real one's
  private final Traffic traffic =
      new Traffic(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  // limits that never bind, and exempt this machine's own clients as the default ones do
  private final SourceLimits limits =
      new SourceLimits(
          new Settings.Limits(
              Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, true),
          () -> {},
          () -> {});

  void addTcp(InetSocketAddress client) {
    tcp.add(client);
  }

  void addUdp(InetSocketAddress client) {
    udp.add(client);
  }

  /** Whether a TCP connection from {@code source} is the warm-up's. */
  boolean includesTcp(InetSocketAddress source) {
    return tcp.contains(source);
  }

  /** Whether a datagram from {@code source} is the warm-up's. */
  boolean includesUdp(InetSocketAddress source) {
    return udp.contains(source);
  }

  /** Once the warm-up is over: whoever sends from these addresses later is a real client. */
  void forgetAll() {
    tcp.clear();
    udp.clear();
  }

  /** Where the endpoints count what the warm-up's clients ask: nowhere anyone reads. */
  Traffic traffic() {
    return traffic;
  }

  /**
   * The limits the warm-up's clients meet, apart from the node's: none that bind. Like the default
   * ones, they exempt this machine's own clients, as the warm-up's are (when the ports are bound to
   * the loopback or every address), so that they take the same turns as a local client.
   */
  SourceLimits limits() {
    return limits;
  }
}
