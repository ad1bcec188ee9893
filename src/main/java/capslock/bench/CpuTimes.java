package capslock.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * This machine's CPU time so far, from Linux's {@code /proc/stat}: all of it, and what its host
 * took back ("steal": the time a virtual CPU wanted to run while the host ran something else). On a
 * virtual machine that is most of a benchmark's noise, and it costs a server whose threads hand
 * work to each other more than a busy loop, since every wake-up waits for the host: so a run is
 * reported with its share stolen, and only runs of similar steal compare.
 *
 * @param stolen the ticks stolen by the host, all CPUs together
 * @param total all ticks, all CPUs together (guest time is already within user time)
 */
record CpuTimes(long stolen, long total) {

  private static final Path PROC_STAT = Path.of("/proc/stat");

  /** Now; empty where there is no {@code /proc/stat} (not Linux) or it says no such thing. */
  static Optional<CpuTimes> now() {
    // procfs is made by the kernel as it is read: this never waits for a disk
    try (Stream<String> lines = Files.lines(PROC_STAT)) {
      return lines.filter(line -> line.startsWith("cpu ")).findFirst().flatMap(CpuTimes::parse);
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /**
   * From {@code /proc/stat}'s line of all CPUs: {@code cpu user nice system idle iowait irq softirq
   * steal [guest guest_nice]}, in ticks; empty if it is not one.
   */
  static Optional<CpuTimes> parse(String line) {
    String[] fields = line.trim().split("\\s+");
    if (fields.length < 9 || !fields[0].equals("cpu")) {
      return Optional.empty();
    }
    long total = 0;
    try {
      for (int i = 1; i <= 8; i++) {
        total += Long.parseLong(fields[i]);
      }
      return Optional.of(new CpuTimes(Long.parseLong(fields[8]), total));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The share of the CPU time since {@code earlier} that the host took, in percent. */
  OptionalDouble stolenPercentSince(CpuTimes earlier) {
    long ticks = total - earlier.total;
    return ticks <= 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(100.0 * (stolen - earlier.stolen) / ticks);
  }
}
