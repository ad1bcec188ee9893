package capslock.cluster;

import capslock.config.Settings;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;

/**
 * The cluster manager behind {@code -cluster}: Hazelcast, whose members find each other over TCP
 * from a list of addresses ({@code cluster.members}), with no multicast, so that the same setup
 * works on loopback, on a LAN and between containers.
 */
public final class HazelcastCluster {

  /**
   * The first port a node listens on for its peers; the next free one is taken on a busy machine.
   */
  public static final int FIRST_PORT = 5701;

  /** How many ports from {@link #FIRST_PORT} are tried for a member given without a port. */
  static final int PORTS_TRIED = 10;

  private HazelcastCluster() {}

  /**
   * A cluster manager for one node.
   *
   * @param host the address this node listens on (the launcher's {@code -cluster-host}), or null
   *     for loopback when every member is local and Hazelcast's own choice otherwise
   */
  public static ClusterManager manager(Settings.Cluster cluster, String host) {
    return new HazelcastClusterManager(config(cluster, host));
  }

  /**
   * The Hazelcast configuration: Vert.x's own maps, our network, and failure detection in seconds.
   */
  public static Config config(Settings.Cluster cluster, String host) {
    // vertx-hazelcast's defaults: the maps the event bus needs
    Config config = ConfigUtil.loadConfig();
    // nodes of other clusters on the same network never join this one
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster when it closes, after its verticles have stopped (a workers node
    // first finishes what it holds); Hazelcast's own hook would leave at once on SIGTERM
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // a killed node is noticed within seconds (Hazelcast's default is a minute), so its
    // event-bus registrations go and requests stop being sent to it
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    // a node leaving hands its share of the registrations over, but does not wait ten minutes
    // (the default) when the others are leaving too
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    config.setProperty("hazelcast.tcp.join.port.try.count", String.valueOf(PORTS_TRIED));
    // the first node of a cluster waits this long for others before it starts alone (default 5 s)
    config.setProperty("hazelcast.wait.seconds.before.join", "1");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(FIRST_PORT).setPortAutoIncrement(true);
    String bindTo = host != null ? host : cluster.loopbackOnly() ? "127.0.0.1" : null;
    if (bindTo != null && isAddress(bindTo)) {
      network.getInterfaces().setEnabled(true).addInterface(bindTo);
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig()
        .setEnabled(true)
        .setMembers(cluster.members())
        .setConnectionTimeoutSeconds(2);
    return config;
  }

  /**
   * Runs {@code action} with a node's id each time a node leaves the cluster, stopped or dead (on a
   * Hazelcast thread). Vert.x keeps its own node listener; this one is Hazelcast's.
   */
  public static void whenANodeLeaves(ClusterManager manager, Consumer<String> action) {
    ((HazelcastClusterManager) manager)
        .getHazelcastInstance()
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent joined) {}

              @Override
              public void memberRemoved(MembershipEvent left) {
                action.accept(left.getMember().getUuid().toString());
              }
            });
  }

  /** Hazelcast takes interfaces as IPv4 addresses (wildcards allowed), not host names. */
  private static boolean isAddress(String host) {
    return host.matches("[0-9*.\\-]+");
  }
}
