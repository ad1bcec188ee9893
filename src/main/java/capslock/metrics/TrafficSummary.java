package capslock.metrics;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per period (a minute) that saw traffic, nothing while idle: {@code In the last
 * minute: 12 TCP connections (3 open), 4,021 TCP pieces, 80 UDP datagrams, 0 errors}. Errors are
 * what a client would notice: replies not sent, requests over a limit, connections refused.
 */
public final class TrafficSummary {

  private static final Duration EVERY = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(TrafficSummary.class);

  private final Traffic traffic;
  private long connections;
  private long pieces;
  private long datagrams;
  private long errorCount;

  public TrafficSummary(Traffic traffic) {
    this.traffic = traffic;
  }

  /**
   * Writes the summary every minute, on the caller's event loop (the timer ends with its verticle).
   */
  public void start(Vertx vertx) {
    vertx.setPeriodic(EVERY.toMillis(), tick -> nextLine().ifPresent(log::info));
  }

  /** The line for the minute just ended, or none if it was idle. */
  Optional<String> nextLine() {
    Traffic.Totals totals = traffic.totals();
    long newConnections = totals.tcpConnectionsOpened() - connections;
    long newPieces = totals.tcpPieces() - pieces;
    long newDatagrams = totals.udpDatagrams() - datagrams;
    long newErrors = totals.errors() - errorCount;
    connections += newConnections;
    pieces += newPieces;
    datagrams += newDatagrams;
    errorCount += newErrors;
    if (newConnections + newPieces + newDatagrams + newErrors
        == 0) { // idle, even with silent connections open
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "In the last minute: %,d TCP connections (%,d open), %,d TCP pieces, %,d UDP datagrams, %,d errors",
            newConnections,
            totals.tcpConnectionsOpen(),
            newPieces,
            newDatagrams,
            newErrors));
  }
}
