package capslock.client;

import io.vertx.core.buffer.Buffer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The classic UDP pinger: sends {@code ping <seq> <time>} datagrams one after another, prints each
 * reply or loss as it happens, then a summary like ping's.
 */
public final class UdpPinger {

  private final UdpLineExchange exchange;
  private final Endpoint endpoint;
  private final PrintStream out;

  public UdpPinger(UdpLineExchange exchange, Endpoint endpoint, PrintStream out) {
    this.exchange = exchange;
    this.endpoint = endpoint;
    this.out = out;
  }

  /**
   * Sends {@code count} pings, {@code interval} apart at least; 0 if any came back, 1 if none did.
   */
  public int run(int count, Duration interval) throws InterruptedException {
    out.println(
        "PING " + endpoint + " from port " + exchange.localPort() + ": " + count + " datagrams");
    List<Double> rtts = new ArrayList<>();
    for (int seq = 1; seq <= count; seq++) {
      long start = System.nanoTime();
      String request = "ping " + seq + " " + System.currentTimeMillis();
      try {
        UdpLineExchange.Answer reply =
            exchange
                .request(Buffer.buffer(request))
                .await(endpoint.timeout().toMillis(), TimeUnit.MILLISECONDS);
        double millis = reply.roundTripNanos() / 1e6;
        rtts.add(millis);
        out.printf(
            "Reply from %s: %s time=%.3f ms%n",
            reply.packet().sender(), reply.packet().data(), millis);
      } catch (TimeoutException e) {
        // ping's own line for a lost one ("Request timeout for icmp_seq 3"), with the wait, as
        // the lesson's client says it
        out.println(
            "Request timeout for seq "
                + seq
                + " (no reply within "
                + endpoint.timeout().toMillis() / 1000.0
                + " s)");
      }
      long left = interval.toNanos() - (System.nanoTime() - start);
      if (seq < count && left > 0) {
        TimeUnit.NANOSECONDS.sleep(left);
      }
    }
    out.print(summary(count, rtts));
    return rtts.isEmpty() ? 1 : 0;
  }

  /** ping's closing lines: counts, loss, and round-trip min/avg/max/mdev. */
  String summary(int transmitted, List<Double> rtts) {
    StringBuilder text = new StringBuilder("--- " + endpoint + " ping statistics ---\n");
    int received = rtts.size();
    double loss = 100.0 * (transmitted - received) / transmitted;
    text.append(
        String.format(
            "%d datagrams transmitted, %d received, %.1f%% loss%n", transmitted, received, loss));
    if (received > 0) {
      double min = rtts.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      double max = rtts.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      double avg = rtts.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double mdev =
          Math.sqrt(rtts.stream().mapToDouble(r -> (r - avg) * (r - avg)).average().orElseThrow());
      text.append(
          String.format("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms%n", min, avg, max, mdev));
    }
    return text.toString();
  }
}
