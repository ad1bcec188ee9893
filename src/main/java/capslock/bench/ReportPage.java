package capslock.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A load run as one self-contained HTML file ({@code bench --report FILE.html}), to look at rather
 * than read: the throughput second by second, the latency percentile distribution as HdrHistogram's
 * own plotter draws it (x: the percentile on a log scale of 1/(1-p), y: ms), and the run's
 * parameters and summary. uPlot's script and style are inlined from its webjar, so the file opens
 * anywhere, with no network.
 */
public final class ReportPage {

  private static final String TEMPLATE = "capslock/bench/report.html";
  private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  /** Points per halving of the distance to 100%: HdrHistogram's plotter's default. */
  private static final int TICKS_PER_HALF_DISTANCE = 5;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z_]+)}}");

  private ReportPage() {}

  /**
   * Writes the report of {@code report}, with its {@code timeline}, to {@code file}, whole or not
   * at all: the page is written beside it under another name, then renamed. So a run stopped while
   * it writes (Ctrl+C) leaves no half page, and an earlier report of the same name stays as it was
   * until the new one is whole.
   */
  public static void write(Path file, LoadReport report, Timeline timeline) throws IOException {
    String page = render(report, timeline, ZonedDateTime.now(ZoneId.systemDefault()));
    Path partial =
        file.resolveSibling(
            "." + file.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
    partial.toFile().deleteOnExit(); // the exit a stop signal asks for leaves none behind
    try {
      Files.writeString(partial, page, StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  static String render(LoadReport report, Timeline timeline, ZonedDateTime when) {
    String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    String title =
        String.format(
            Locale.ROOT,
            "capslock bench: %s %s:%d, %,.0f messages/s",
            report.options().protocol(),
            report.options().host(),
            report.options().port(),
            report.messagesPerSecond());
    Map<String, String> values =
        Map.of(
            "TITLE", escape(title),
            "WHEN", escape(when.format(DateTimeFormatter.RFC_1123_DATE_TIME)),
            "PARAMETERS", rows(parameters(report)),
            "SUMMARY", rows(summary(report)),
            "UPLOT_CSS", read(uplot + "uPlot.min.css"),
            "UPLOT_JS", read(uplot + "uPlot.iife.min.js").replace("</script", "<\\/script"),
            "DATA",
                scriptSafe(
                    new JsonObject()
                        .put("ok", report.ok())
                        .put("timeline", timeline.toJson())
                        .put("percentiles", percentiles(report))
                        .encode()));
    Matcher matcher = PLACEHOLDER.matcher(read(TEMPLATE));
    StringBuilder page = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(page, Matcher.quoteReplacement(values.get(matcher.group(1))));
    }
    return matcher.appendTail(page).toString();
  }

  /**
   * The latency distribution, HdrHistogram's way: {@code {"percentile": [...], "millis": [...]}},
   * the percentile from 0 to 100, closer together towards 100 (the last one, 100, is the maximum).
   */
  private static JsonObject percentiles(LoadReport report) {
    JsonArray percentile = new JsonArray();
    JsonArray millis = new JsonArray();
    if (report.latencyMicros().getTotalCount() > 0) {
      for (HistogramIterationValue value :
          report.latencyMicros().percentiles(TICKS_PER_HALF_DISTANCE)) {
        percentile.add(value.getPercentileLevelIteratedTo());
        millis.add(
            value.getValueIteratedTo()
                / 1000.0); // the top of its bucket, as HdrHistogram prints it
      }
    }
    return new JsonObject().put("percentile", percentile).put("millis", millis);
  }

  private static Map<String, String> parameters(LoadReport report) {
    LoadOptions options = report.options();
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("protocol", options.protocol().name());
    rows.put("server", options.host() + ":" + options.port());
    rows.put(
        options.protocol() == LoadOptions.Protocol.TCP ? "connections" : "sockets",
        String.valueOf(options.connections()));
    rows.put("in flight on each", String.valueOf(options.depth()));
    rows.put("message size", options.size() + " bytes");
    rows.put("warm-up", options.warmup().toSeconds() + " s (not measured)");
    rows.put("measured", options.duration().toSeconds() + " s");
    return rows;
  }

  private static Map<String, String> summary(LoadReport report) {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put(
        "result",
        report.ok() ? "OK: every reply checked and right" : "FAILED: wrong or missing replies");
    rows.put(
        "throughput",
        String.format(
            Locale.ROOT,
            "%,.0f messages/s, %.2f MB/s",
            report.messagesPerSecond(),
            report.megabytesPerSecond()));
    rows.put("replies measured", String.format(Locale.ROOT, "%,d", report.replies()));
    rows.put("round trip p50", LoadReport.millis(report.latencyMicros().getValueAtPercentile(50)));
    rows.put("round trip p99", LoadReport.millis(report.latencyMicros().getValueAtPercentile(99)));
    rows.put(
        "round trip p99.9", LoadReport.millis(report.latencyMicros().getValueAtPercentile(99.9)));
    rows.put("round trip max", LoadReport.millis(report.latencyMicros().getMaxValue()));
    rows.put("errors", String.valueOf(report.errors()));
    rows.put("lost", String.valueOf(report.lost()));
    if (report.stolenPercent().isPresent()) {
      rows.put("host", report.stolenText());
    }
    return rows;
  }

  private static String rows(Map<String, String> rows) {
    StringBuilder html = new StringBuilder();
    rows.forEach(
        (name, value) ->
            html.append("<tr><th>")
                .append(escape(name))
                .append("</th><td>")
                .append(escape(value))
                .append("</td></tr>\n"));
    return html.toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** JSON inside a script element: no {@code </script>} and no line separators can end it early. */
  private static String scriptSafe(String json) {
    return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  /** uPlot's version, as its webjar says (the pom pins it). */
  private static String uplotVersion() {
    Properties pom = new Properties();
    try (InputStream in = open(UPLOT_POM)) {
      pom.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pom.getProperty("version");
  }

  private static String read(String resource) {
    try (InputStream in = open(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) throws IOException {
    InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IOException("the jar has no " + resource);
    }
    return in;
  }
}
