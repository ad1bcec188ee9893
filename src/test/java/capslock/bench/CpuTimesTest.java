package capslock.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CpuTimesTest {

  @Test
  void theLineOfAllCpusGivesTheirTotalAndWhatWasStolen() {
    // this VM's line: user nice system idle iowait irq softirq steal guest guest_nice
    Optional<CpuTimes> times =
        CpuTimes.parse("cpu  10132153 290696 3084719 46828483 16683 0 25195 175628 0 0");

    assertEquals(
        Optional.of(
            new CpuTimes(
                175_628,
                10_132_153 + 290_696 + 3_084_719 + 46_828_483 + 16_683 + 0 + 25_195 + 175_628)),
        times);
  }

  @Test
  void anythingElseIsNoReading() {
    assertEquals(Optional.empty(), CpuTimes.parse("cpu0 1 2 3 4 5 6 7 8 0 0"), "one CPU's line");
    assertEquals(Optional.empty(), CpuTimes.parse("cpu 1 2 3 4 5 6 7"), "a kernel without steal");
    assertEquals(Optional.empty(), CpuTimes.parse("cpu 1 2 3 4 x 6 7 8"));
    assertEquals(Optional.empty(), CpuTimes.parse(""));
  }

  @Test
  void theShareStolenIsOfTheTicksBetweenTwoReadings() {
    CpuTimes before = new CpuTimes(1_000, 50_000);
    CpuTimes after = new CpuTimes(1_105, 51_000);

    assertEquals(OptionalDouble.of(10.5), after.stolenPercentSince(before));
    assertEquals(OptionalDouble.empty(), before.stolenPercentSince(before), "no time passed");
  }

  @Test
  void onLinuxItReadsProcStat() {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "not Linux");
    CpuTimes now = CpuTimes.now().orElseThrow();

    assertTrue(now.total() > 0);
    assertTrue(now.stolen() >= 0 && now.stolen() <= now.total());
  }

  @Test
  void theReportSaysWhatTheHostTookWhenItIsKnown() {
    LoadReport known = Reports.oneUdpReply(OptionalDouble.of(12.34));
    LoadReport unknown = Reports.oneUdpReply(OptionalDouble.empty());

    assertTrue(
        known
            .toText()
            .endsWith(
                "  errors: 0, lost: 0\n  stolen by the host: 12.3 % of the CPU time"
                    + " (a virtual machine's noise: compare runs of similar steal)\n"),
        known.toText());
    assertEquals(12.34, known.toJson().getDouble("stolenPercent"));
    assertTrue(unknown.toText().endsWith("  errors: 0, lost: 0\n"), unknown.toText());
    assertFalse(unknown.toJson().containsKey("stolenPercent"));
  }
}
