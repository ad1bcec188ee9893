package capslock.bench;

import java.time.Duration;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/** Load reports for the tests of what is made of them. */
final class Reports {

  private Reports() {}

  /**
   * The report of a one-second UDP run that got one reply, in 150 µs; {@code stolenPercent} is what
   * the host took of the CPU time, when known.
   */
  static LoadReport oneUdpReply(OptionalDouble stolenPercent) {
    LoadOptions options =
        new LoadOptions(
            LoadOptions.Protocol.UDP,
            "127.0.0.1",
            11758,
            1,
            1,
            16,
            Duration.ZERO,
            Duration.ofSeconds(1));
    Histogram latencies = new Histogram(3);
    latencies.recordValue(150);
    return new LoadReport(options, 1.0, 1, 0, 0, latencies, stolenPercent);
  }
}
