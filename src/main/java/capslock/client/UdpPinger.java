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

  private final Endpoint endpoint;
  private final PrintStream out;
  // what was sent and answered, and whether the summary is out: the run's thread and a stop
  // signal's (interrupted()) touch them, under this object's lock
  private int transmitted;
  private final List<Double> rtts = new ArrayList<>();
  private boolean ended;

  public UdpPinger(Endpoint endpoint, PrintStream out) {
    this.endpoint = endpoint;
    this.out = out;
  }

  /**
   * Sends {@code count} pings over {@code exchange}, {@code interval} apart at least; 0 if any came
   * back, 1 if none did.
   */
  public int run(UdpLineExchange exchange, int count, Duration interval)
      throws InterruptedException {
    said("PING " + endpoint + " from port " + exchange.localPort() + ": " + count + " datagrams");
    for (int seq = 1; seq <= count && sending(); seq++) {
      long start = System.nanoTime();
      String request = "ping " + seq + " " + System.currentTimeMillis();
      try {
        UdpLineExchange.Answer reply =
            exchange
                .request(Buffer.buffer(request))
                .await(endpoint.timeout().toMillis(), TimeUnit.MILLISECONDS);
        replied(reply);
      } catch (TimeoutException e) {
        // ping's own line for a lost one ("Request timeout for icmp_seq 3"), with the wait, as
        // the lesson's client says it
        said(
            "Request timeout for seq "
                + seq
                + " (no reply within "
                + endpoint.timeout().toMillis() / 1000.0
                + " s)");
      } catch (ClientFailure cannotSend) { // as ping says a send the kernel refused, and goes on
        said(cannotSend.getMessage());
      }
      long left = interval.toNanos() - (System.nanoTime() - start);
      if (seq < count && left > 0) {
        TimeUnit.NANOSECONDS.sleep(left);
      }
    }
    return end();
  }

  /**
   * Ctrl+C (or SIGTERM) on the way, as ping takes it: the summary of the pings sent so far (one
   * still out counts as sent and not answered), and the exit status ping's would be: 0 if any reply
   * came, 1 if none did (iputils ping exits 1 when it received no reply at all). Once: after the
   * summary, the run says and sends nothing more. Before the run (while the client starts), the
   * summary says that nothing was sent.
   */
  public int interrupted() {
    return end();
  }

  /** Counts the next ping as sent; false once the summary is out. */
  private synchronized boolean sending() {
    if (ended) {
      return false;
    }
    transmitted++;
    return true;
  }

  private synchronized void replied(UdpLineExchange.Answer reply) {
    if (!ended) {
      double millis = reply.roundTripNanos() / 1e6;
      rtts.add(millis);
      out.printf(
          "Reply from %s: %s time=%.3f ms%n",
          reply.packet().sender(), reply.packet().data(), millis);
    }
  }

  private synchronized void said(String line) {
    if (!ended) {
      out.println(line);
    }
  }

  /** The summary, said once, and the exit status. */
  private synchronized int end() {
    if (!ended) {
      ended = true;
      out.print(summary());
      out.flush();
    }
    return rtts.isEmpty() ? 1 : 0;
  }

  /** ping's closing lines: counts, loss, and round-trip min/avg/max/mdev. */
  private String summary() {
    StringBuilder text = new StringBuilder("--- " + endpoint + " ping statistics ---\n");
    int received = rtts.size();
    text.append(String.format("%d datagrams transmitted, %d received", transmitted, received));
    if (transmitted > 0) { // none when stopped before the first: no loss to speak of, as ping
      double loss = 100.0 * (transmitted - received) / transmitted;
      text.append(String.format(", %.1f%% loss", loss));
    }
    text.append(System.lineSeparator());
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
