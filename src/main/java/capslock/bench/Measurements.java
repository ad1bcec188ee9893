package capslock.bench;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the load measured, safe to record into from every event loop at once: round-trip latencies
 * (HdrHistogram, microseconds, 3 significant digits), replies checked, errors, losses, and the
 * share of the CPU time the host took meanwhile ({@link CpuTimes}).
 */
final class Measurements {

  private final Recorder latencies = new Recorder(3);
  private final Histogram total = new Histogram(3);
  private final LongAdder replies = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private volatile boolean measuring;
  private volatile Optional<CpuTimes> cpuAtStart = Optional.empty();

  /** From now on, replies count: the warm-up is over. */
  void startMeasuring() {
    interval(); // the warm-up's latencies go to its progress lines, not to the report
    cpuAtStart = CpuTimes.now();
    measuring = true;
  }

  void reply(long sentNanos) {
    latencies.recordValue(Math.max(1, (System.nanoTime() - sentNanos) / 1000));
    if (measuring) {
      replies.increment();
    }
  }

  void error() {
    errors.increment();
  }

  void lost() {
    if (measuring) {
      lost.increment();
    }
  }

  long errors() {
    return errors.sum();
  }

  /**
   * The latencies since the last call (added to the run's total once measuring): for progress
   * lines.
   */
  synchronized Histogram interval() {
    Histogram interval = latencies.getIntervalHistogram();
    if (measuring) {
      total.add(interval);
    }
    return interval;
  }

  /** The whole run's figures. */
  synchronized LoadReport report(LoadOptions options, double seconds) {
    interval();
    OptionalDouble stolen =
        cpuAtStart
            .flatMap(start -> CpuTimes.now().map(end -> end.stolenPercentSince(start)))
            .orElse(OptionalDouble.empty());
    return new LoadReport(
        options, seconds, replies.sum(), errors.sum(), lost.sum(), total.copy(), stolen);
  }
}
