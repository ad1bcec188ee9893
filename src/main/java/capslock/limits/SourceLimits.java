package capslock.limits;

import capslock.config.Settings;
import capslock.metrics.Occurrences;
import capslock.protocol.Network;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.shareddata.Shareable;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps capslock safe to leave running on a shared network, where echo services were abused: a
 * spoofed UDP source cannot make it fire replies at a victim faster than its rate limit, and one
 * address cannot hold every TCP connection. Over a limit, the datagram gets no reply or the
 * connection is closed at once; it is counted, and logged at most once a minute per source.
 * Loopback is exempt from the per-source limits by default, so local exercises and benchmarks run
 * at full speed; the node's total of connections counts every source, loopback too, since it is
 * what keeps the node within the files it may open (a client on the same machine can open
 * thousands). At its most the node stops accepting rather than closing: new clients wait in the
 * kernel's queue, and a burst already accepted is served, within a hard most. One per node, used
 * from the event loops of all its endpoints (the launcher's {@code -instances}), so that a limit is
 * the node's whatever the instance a source reaches; the caches are bounded whatever the number of
 * sources.
 */
public final class SourceLimits implements Shareable {

  /** The most sources tracked at once; the least recently seen are forgotten first. */
  static final int MAX_TRACKED_SOURCES = 65_536;

  private static final Logger log = LoggerFactory.getLogger(SourceLimits.class);

  private final Settings.Limits limits;

  /**
   * The hard most: at {@code tcp.limits.maxConnections} the port stops accepting, but Vert.x
   * accepts on a thread of its own, ahead of the event loops that count, so a burst accepted before
   * the port stopped comes over it. Each such connection has its file already, out of the margin
   * the start keeps for them ({@link OpenFiles#ACCEPTING}), and is served up to a quarter of the
   * most over it (at most 1,024); past that it is closed at once. Closing each one over the most
   * dropped what its client had sent: 119 of 200 clients that had waited for room, in one run of
   * OpenFilesIT.
   */
  private final int closeAt;

  /** A bucket untouched for a second is full again, so forgetting it after two changes nothing. */
  private final Cache<InetAddress, TokenBucket> udpBuckets =
      Caffeine.newBuilder()
          .maximumSize(MAX_TRACKED_SOURCES)
          .expireAfterAccess(Duration.ofSeconds(2))
          .executor(Runnable::run) // housekeeping on the caller's thread: no pool of its own
          .build();

  // the sources said over a limit in the last minute, UDP's and TCP's apart: each is said
  private final Cache<InetAddress, Boolean> saidOverUdp = saidRecently();
  private final Cache<InetAddress, Boolean> saidOverTcp = saidRecently();
  // at most closeAt entries; both guarded by this (a connection is no hot path)
  private final Map<InetAddress, Integer> openConnections = new HashMap<>();
  private int totalConnections;
  private final Occurrences full = new Occurrences(); // the node at its most connections
  // read by the metrics from another thread
  private final LongAdder limitedDatagrams = new LongAdder();
  private final LongAdder rejectedConnections = new LongAdder();
  private final Runnable onDatagramLimited;
  private final Runnable onConnectionRejected;

  /**
   * @param onDatagramLimited and {@code onConnectionRejected} are told of each datagram or
   *     connection turned away
   */
  public SourceLimits(
      Settings.Limits limits, Runnable onDatagramLimited, Runnable onConnectionRejected) {
    this.limits = limits;
    int most = limits.tcpMaxConnections();
    // the margin of the most, within that of the files, as the most fits in the files
    this.closeAt = (int) Math.min(Integer.MAX_VALUE, most + OpenFiles.accepting(most));
    this.onDatagramLimited = onDatagramLimited;
    this.onConnectionRejected = onConnectionRejected;
  }

  /** Whether a datagram of {@code size} bytes from {@code source} may be answered. */
  public boolean admitDatagram(InetAddress source, int size) {
    if (exempt(source)) {
      return true;
    }
    long now = System.nanoTime();
    TokenBucket bucket =
        udpBuckets.get(
            source,
            newSource ->
                new TokenBucket(limits.udpDatagramsPerSecond(), limits.udpBytesPerSecond(), now));
    if (bucket.tryTake(size, now)) {
      return true;
    }
    limitedDatagrams.increment();
    onDatagramLimited.run();
    logOncePerMinute(
        saidOverUdp,
        source,
        "UDP from {} is over its limit ({} datagrams/s, {} bytes/s): not answered; "
            + "{} datagrams not answered so far",
        source,
        limits.udpDatagramsPerSecond(),
        limits.udpBytesPerSecond(),
        limitedDatagrams.sum());
    return false;
  }

  /**
   * Whether a new TCP connection from {@code source} may stay; if so, {@link #connectionClosed}
   * must follow. When it takes the node's last place, {@code whenFull} runs (the node stops
   * accepting) before another connection is counted or closed; those of a burst accepted before
   * that stay too, up to the hard most ({@link #closeAt}).
   */
  public synchronized boolean admitConnection(InetAddress source, Runnable whenFull) {
    boolean exempt = exempt(source);
    int open = exempt ? 0 : openConnections.getOrDefault(source, 0);
    boolean overSource = !exempt && open >= limits.tcpConnectionsPerSource();
    if (overSource || totalConnections >= closeAt) {
      rejectedConnections.increment();
      onConnectionRejected.run();
      logOncePerMinute(
          saidOverTcp,
          source,
          "TCP connection from {} closed at once: {} open {} (at most {}{}); {} closed so far",
          source,
          overSource ? open : totalConnections,
          overSource ? "from there" : "in all",
          overSource ? limits.tcpConnectionsPerSource() : limits.tcpMaxConnections(),
          overSource || closeAt == limits.tcpMaxConnections()
              ? ""
              : ", and " + (closeAt - limits.tcpMaxConnections()) + " of a burst",
          rejectedConnections.sum());
      return false;
    }
    if (!exempt) {
      openConnections.put(source, open + 1);
    }
    totalConnections++;
    if (totalConnections == limits.tcpMaxConnections()) {
      whenFull.run(); // before it is said, so that the line means the port has stopped
      full.countOne(
          times ->
              log.warn(
                  "TCP: {} connections open, the node's most (tcp.limits.maxConnections): new"
                      + " clients wait in the kernel's queue until one closes",
                  totalConnections));
    }
    return true;
  }

  /**
   * An admitted connection from {@code source} has closed; when that makes room in a full node,
   * {@code whenRoom} runs (the node accepts again) before another connection is counted.
   */
  public synchronized void connectionClosed(InetAddress source, Runnable whenRoom) {
    if (!exempt(source)) {
      openConnections.computeIfPresent(source, (address, open) -> open == 1 ? null : open - 1);
    }
    if (totalConnections-- == limits.tcpMaxConnections()) {
      whenRoom.run();
    }
  }

  public long limitedDatagrams() {
    return limitedDatagrams.sum();
  }

  public long rejectedConnections() {
    return rejectedConnections.sum();
  }

  /** How many sources the UDP limiter remembers now. */
  long trackedSources() {
    udpBuckets.cleanUp();
    return udpBuckets.estimatedSize();
  }

  private boolean exempt(InetAddress source) {
    return limits.exemptLoopback() && Network.isLoopback(source);
  }

  private static Cache<InetAddress, Boolean> saidRecently() {
    return Caffeine.newBuilder()
        .maximumSize(MAX_TRACKED_SOURCES)
        .expireAfterWrite(Duration.ofMinutes(1))
        .executor(Runnable::run)
        .build();
  }

  private static void logOncePerMinute(
      Cache<InetAddress, Boolean> said, InetAddress source, String message, Object... arguments) {
    if (said.asMap().putIfAbsent(source, Boolean.TRUE) == null) {
      log.warn(message, arguments);
    }
  }
}
