package capslock.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --report}: one self-contained HTML file with the run's data. */
class ReportPageTest {

  private static final Pattern DATA =
      Pattern.compile(
          "<script id=\"data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void theFileHoldsTheChartLibraryTheDataAndTheSummaryAndNeedsNoNetwork() throws Exception {
    LoadOptions options =
        new LoadOptions(
            LoadOptions.Protocol.TCP,
            "127.0.0.1",
            10825,
            4,
            8,
            64,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2));
    Histogram latencies = new Histogram(3);
    for (int i = 1; i <= 1_000; i++) {
      latencies.recordValue(100 + i); // 0.101 to 1.1 ms
    }
    Timeline timeline = new Timeline();
    timeline.add(new LoadGenerator.Progress(1, true, second(300), 0));
    timeline.add(new LoadGenerator.Progress(2, false, second(500), 0));
    timeline.add(new LoadGenerator.Progress(3, false, second(500), 0));
    LoadReport report =
        new LoadReport(options, 2.0, 1_000, 0, 0, latencies, OptionalDouble.of(3.24));

    Path file = dir.resolve("report.html");
    ReportPage.write(file, report, timeline);
    String html = Files.readString(file, StandardCharsets.UTF_8);

    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(
        html.contains("<title>capslock bench: TCP 127.0.0.1:10825, 500 messages/s</title>"),
        html.substring(0, 300));
    assertTrue(html.contains("var uPlot="), "uPlot is inlined");
    assertTrue(html.contains(".uplot"), "and its style");
    assertTrue(html.contains("<tr><th>in flight on each</th><td>8</td></tr>"));
    assertTrue(html.contains("<tr><th>result</th><td>OK: every reply checked and right</td></tr>"));
    assertTrue(html.contains("<tr><th>round trip p50</th><td>0.600 ms</td></tr>"), "the summary");
    assertTrue(
        html.contains("<tr><th>host</th><td>stolen by the host: 3.2 % of the CPU time"),
        "and what the host took meanwhile");

    Matcher data = DATA.matcher(html);
    assertTrue(data.find(), "the data, as a JSON literal");
    JsonObject json = new JsonObject(data.group(1));
    assertEquals("[1,2,3]", json.getJsonObject("timeline").getJsonArray("second").encode());
    assertEquals(
        "[true,false,false]", json.getJsonObject("timeline").getJsonArray("warmingUp").encode());
    assertEquals("[300,500,500]", json.getJsonObject("timeline").getJsonArray("replies").encode());
    JsonObject percentiles = json.getJsonObject("percentiles");
    assertTrue(
        percentiles.getJsonArray("percentile").size() > 20,
        "HdrHistogram's points, closer towards 100%");
    assertEquals(0.0, percentiles.getJsonArray("percentile").getDouble(0));
    assertEquals(
        100.0,
        percentiles
            .getJsonArray("percentile")
            .getDouble(percentiles.getJsonArray("percentile").size() - 1));
    assertEquals(
        1.1,
        percentiles.getJsonArray("millis").getDouble(percentiles.getJsonArray("millis").size() - 1),
        0.001);

    // nothing is fetched: no src or href to another place; the only address is in uPlot's own
    // banner
    assertFalse(
        Pattern.compile("(src|href)\\s*=\\s*\"(?!data:)", Pattern.CASE_INSENSITIVE)
            .matcher(html)
            .find(),
        "no src or href");
    assertFalse(html.contains("url("), "no url() in the styles");
    assertFalse(html.contains("@import"));
    assertEquals(1, html.split("://", -1).length - 1, "one address only");
    assertTrue(html.contains("/*! https://github.com/leeoniya/uPlot"), "uPlot's banner");
  }

  /**
   * A report written over an earlier one is never seen half written: a reader sees the earlier page
   * whole or the new one whole. Written in place, a reader catches the file truncated or cut.
   */
  @Test
  void aReaderSeesAReportWholeWhileItIsWrittenOverAgain() throws Exception {
    LoadReport report = Reports.oneUdpReply(OptionalDouble.empty());
    Path file = dir.resolve("report.html");
    ReportPage.write(file, report, new Timeline());
    CompletableFuture<Void> writes =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 40; i++) {
                try {
                  ReportPage.write(file, report, new Timeline());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
            });
    int reads = 0;
    while (!writes.isDone() || reads == 0) {
      String seen = Files.readString(file, StandardCharsets.UTF_8);
      assertTrue(seen.endsWith("</html>\n"), "read " + reads + " found a page cut short");
      reads++;
    }
    writes.join();
    assertEquals(List.of(file), listed(dir), "and no partial file is left beside it");
  }

  @Test
  void aReportThatCannotTakeItsPlaceLeavesNoPartialFile() throws Exception {
    Path taken = Files.createDirectories(dir.resolve("report.html").resolve("a file in the way"));
    Path file = taken.getParent();
    assertThrows(
        IOException.class,
        () -> ReportPage.write(file, Reports.oneUdpReply(OptionalDouble.empty()), new Timeline()));
    assertEquals(List.of(file), listed(dir));
  }

  private static List<Path> listed(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.sorted().toList();
    }
  }

  private static Histogram second(int replies) {
    Histogram histogram = new Histogram(3);
    for (int i = 0; i < replies; i++) {
      histogram.recordValue(200);
    }
    return histogram;
  }
}
