package capslock.config;

import capslock.protocol.Network;
import capslock.protocol.Protocol;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The settings the service runs with: read once from the merged configuration, validated once, then
 * passed down as this typed value. Every key is named as the README names it.
 */
public record Settings(
    Role role,
    Tcp tcp,
    Udp udp,
    Http http,
    Worker worker,
    Limits limits,
    Cluster cluster,
    WarmUp warmUp) {

  /** Every key the configuration may hold: those that {@link #from} reads, in its order. */
  public static final List<String> KEYS = keysRead();

  public record Tcp(String host, int port, int idleTimeoutSeconds, long maxPendingBytes) {

    /**
     * What all connections of a node may hold, pieces unanswered and replies unsent: well within
     * the direct memory of conf/jvm.options (128 MiB), with room for UDP's bounds and the pools.
     */
    public static final long DEFAULT_MAX_PENDING_BYTES = 32L * 1024 * 1024;

    /** The least bytes: room for one connection at its own bound. */
    public static final long MIN_PENDING_BYTES = 256L * 1024;
  }

  /**
   * UDP settings. What may wait for the workers is bounded in datagrams and bytes (a quarter of
   * each for one source). The simulated loss and delay are teaching aids, off by default: a
   * fraction of requests silently dropped (reproducibly when a seed is given), and a delay before
   * each reply.
   */
  public record Udp(
      String host,
      int port,
      int maxDatagramBytes,
      int maxPendingDatagrams,
      long maxPendingBytes,
      double simulatedLoss,
      Long simulatedLossSeed,
      int simulatedDelayMs) {

    /**
     * Enough for bursts of the bench kit's 16 sockets x 16 in flight, and for 128 of the largest
     * datagrams.
     */
    public static final int DEFAULT_MAX_PENDING_DATAGRAMS = 1024;

    public static final long DEFAULT_MAX_PENDING_BYTES = 8L * 1024 * 1024;

    /** The least bytes: a quarter of them (one source's share) holds the largest datagram. */
    public static final long MIN_PENDING_BYTES = 4L * 64 * 1024;
  }

  /**
   * The operations port (health, metrics, the dashboard); port -1, the default, means none. {@code
   * showTraffic} (off by default, for a class) puts the last requests' text on the dashboard. At
   * most {@code maxConnections} are open at once (dashboards, scrapers), each closed once silent
   * both ways for {@code idleTimeoutSeconds} (an open dashboard gets a snapshot every second; 0:
   * never).
   */
  public record Http(
      String host, int port, boolean showTraffic, int maxConnections, int idleTimeoutSeconds) {

    public static final int NONE = -1;

    public static final int DEFAULT_MAX_CONNECTIONS = 100;

    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

    public boolean enabled() {
      return port != NONE;
    }
  }

  public record Worker(int instances) {}

  /**
   * How many lines a node that serves both halves sends to its own ports at start (counted apart),
   * and for at most how long, so that the JIT has compiled its request path before the first
   * person's line; it ends sooner at the first real request. 0 seconds for never.
   */
  public record WarmUp(int seconds, int lines) {

    public static final int DEFAULT_SECONDS = 10;

    /**
     * Enough for the optimising compiler to take more of the path: it compiles a method after
     * thousands of calls, and 2 s of warm-up (2,500-5,200 lines on the team's VM) left most of it
     * to compiled code that still counts every call (docs/PERFORMANCE.md, "A warm-up by lines").
     */
    public static final int DEFAULT_LINES = 30_000;

    public boolean enabled() {
      return seconds > 0;
    }
  }

  /**
   * What one source address may take: UDP datagrams and bytes per second (a burst of one second's
   * worth), open TCP connections; and TCP connections in all, whatever their source. Loopback is
   * exempt from the per-source limits unless {@code exemptLoopback} is false.
   */
  public record Limits(
      int udpDatagramsPerSecond,
      long udpBytesPerSecond,
      int tcpConnectionsPerSource,
      int tcpMaxConnections,
      boolean exemptLoopback) {

    /** The defaults: safe to leave running on a campus network. */
    public static final Limits DEFAULT = new Limits(2_000, 2_000_000, 256, 20_000, true);

    /** The same limits, with at most {@code connections} TCP connections in all. */
    public Limits withTcpMaxConnections(int connections) {
      return new Limits(
          udpDatagramsPerSecond,
          udpBytesPerSecond,
          tcpConnectionsPerSource,
          connections,
          exemptLoopback);
    }
  }

  /**
   * How a clustered node ({@code -cluster}) finds the others: the {@code host[:port]} of some
   * members (a host alone: ports 5701 to 5710), over TCP, without multicast. Only nodes that give
   * the same cluster name join each other.
   */
  public record Cluster(String name, List<String> members) {

    public static final Cluster DEFAULT = new Cluster("capslock", List.of("127.0.0.1"));

    /** Whether every member is on this machine: then the node itself listens on loopback only. */
    public boolean loopbackOnly() {
      return members.stream().allMatch(Network::isLoopback);
    }
  }

  /**
   * Builds the settings from a configuration ({@code {"tcp": {"port": 10825}, ...}}), with defaults
   * for absent keys.
   *
   * @throws ConfigException naming the first key whose value cannot be used
   */
  public static Settings from(JsonObject config) {
    ConfigReader read = new ConfigReader(config);
    Settings settings = read(read);
    read.rejectUnknownKeys();
    return settings;
  }

  private static List<String> keysRead() {
    ConfigReader read = new ConfigReader(new JsonObject());
    read(read);
    return read.keys();
  }

  /** The one place where each key is named, read and given its default. */
  private static Settings read(ConfigReader read) {
    return new Settings(
        read.choice("role", Role.ALL),
        new Tcp(
            read.host("tcp.host"),
            read.port("tcp.port", Protocol.TCP_PORT),
            read.atLeast("tcp.idleTimeoutSeconds", 300, 0),
            read.longBetween(
                "tcp.maxPendingBytes",
                Tcp.DEFAULT_MAX_PENDING_BYTES,
                Tcp.MIN_PENDING_BYTES,
                Integer.MAX_VALUE)),
        new Udp(
            read.host("udp.host"),
            read.port("udp.port", Protocol.UDP_PORT),
            read.between(
                "udp.maxDatagramBytes",
                Protocol.MAX_DATAGRAM_BYTES,
                1,
                Protocol.MAX_DATAGRAM_BYTES),
            read.atLeast("udp.maxPendingDatagrams", Udp.DEFAULT_MAX_PENDING_DATAGRAMS, 4),
            read.longBetween(
                "udp.maxPendingBytes",
                Udp.DEFAULT_MAX_PENDING_BYTES,
                Udp.MIN_PENDING_BYTES,
                Integer.MAX_VALUE),
            read.fraction("udp.simulatedLoss"),
            read.optionalWholeNumber("udp.simulatedLossSeed"),
            read.between("udp.simulatedDelayMs", 0, 0, 60_000)),
        new Http(
            read.host("http.host"),
            read.between("http.port", Http.NONE, Http.NONE, 65_535),
            read.bool("http.showTraffic", false),
            read.atLeast("http.maxConnections", Http.DEFAULT_MAX_CONNECTIONS, 1),
            read.atLeast("http.idleTimeoutSeconds", Http.DEFAULT_IDLE_TIMEOUT_SECONDS, 0)),
        new Worker(
            read.between("worker.instances", Runtime.getRuntime().availableProcessors(), 1, 64)),
        new Limits(
            read.atLeast(
                "udp.limits.datagramsPerSecond", Limits.DEFAULT.udpDatagramsPerSecond(), 1),
            read.longBetween(
                "udp.limits.bytesPerSecond",
                Limits.DEFAULT.udpBytesPerSecond(),
                1,
                Long.MAX_VALUE / 2),
            read.atLeast(
                "tcp.limits.connectionsPerSource", Limits.DEFAULT.tcpConnectionsPerSource(), 1),
            read.atLeast("tcp.limits.maxConnections", Limits.DEFAULT.tcpMaxConnections(), 1),
            read.bool("limits.exemptLoopback", Limits.DEFAULT.exemptLoopback())),
        new Cluster(
            read.word("cluster.name", Cluster.DEFAULT.name()),
            read.words("cluster.members", Cluster.DEFAULT.members())),
        new WarmUp(
            read.between("warmUp.seconds", WarmUp.DEFAULT_SECONDS, 0, 60),
            read.between("warmUp.lines", WarmUp.DEFAULT_LINES, 1, 1_000_000)));
  }
}
