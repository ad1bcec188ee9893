package capslock.server;

import capslock.metrics.Traffic;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.shareddata.Shareable;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The start's warm-up clients ({@link PathWarmUp}), known by the addresses they send from. The real
 * endpoints answer them as they answer anyone, through the same code on the same event loops, but
 * count them in a registry of their own and hold them to no limit: the node's counters, limits,
 * dashboard and summary stay the real clients'. A client is added before its first packet leaves
 * (its socket is bound first), so that its connection is known when it is accepted. One per node,
 * shared by the endpoints of every instance; used from the warm-up's threads and the event loops.
 */
final class WarmUpClients implements Shareable {

  private final Set<InetSocketAddress> addresses = ConcurrentHashMap.newKeySet();
  // a registry of the real one's kind, so that the counting code compiled for it is the real one's
  private final Traffic traffic =
      new Traffic(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

  void add(InetSocketAddress client) {
    addresses.add(client);
  }

  void remove(InetSocketAddress client) {
    addresses.remove(client);
  }

  /** Whether {@code source} is one of the warm-up's clients (never, once the warm-up is over). */
  boolean includes(InetSocketAddress source) {
    return addresses.contains(source);
  }

  /** Where the endpoints count what the warm-up's clients ask: nowhere anyone reads. */
  Traffic traffic() {
    return traffic;
  }
}
