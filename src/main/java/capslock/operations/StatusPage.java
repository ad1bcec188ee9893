package capslock.operations;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /}: the node's health, facts and capslock's own figures as a small HTML page
 * that reloads itself every two seconds: no script, readable in any browser or with curl.
 */
final class StatusPage {

  private static final int REFRESH_SECONDS = 2;

  private final MeterRegistry registry;
  private final Map<String, String> facts;

  StatusPage(MeterRegistry registry, Map<String, String> facts) {
    this.registry = registry;
    this.facts = facts;
  }

  String render(JsonObject health) {
    StringBuilder html = new StringBuilder()
        .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">\n")
        .append("<title>capslock: ").append(escape(health.getString("status"))).append("</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em}td{padding:0 1em 0 0}")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums}.UP{color:#070}.DOWN{color:#b00}</style>\n")
        .append("</head>\n<body>\n<h1>capslock is <span class=\"").append(escape(health.getString("status"))).append("\">")
        .append(escape(health.getString("status"))).append("</span></h1>\n<table>\n");
    facts.forEach((name, value) -> row(html, name, value, ""));
    JsonObject checks = health.getJsonObject("checks");
    for (String name : checks.fieldNames()) {
      JsonObject check = checks.getJsonObject(name);
      row(html, "check " + name, check.getString("status") + ": " + check.getString("detail"), check.getString("status"));
    }
    html.append("</table>\n<h2>Figures</h2>\n<table>\n");
    registry.getMeters().stream()
        .filter(meter -> meter.getId().getName().startsWith("capslock."))
        .sorted(Comparator.comparing(meter -> meter.getId().getName()))
        .forEach(meter -> row(html, meter.getId().getDescription() != null ? meter.getId().getDescription()
            : meter.getId().getName(), value(meter), "n"));
    return html.append("</table>\n<p>Also: <a href=\"/health\">/health</a> (JSON), ")
        .append("<a href=\"/metrics\">/metrics</a> (Prometheus)</p>\n</body>\n</html>\n").toString();
  }

  private static String value(Meter meter) {
    if (meter instanceof FunctionCounter counter) {
      return String.format(Locale.ROOT, "%,d", (long) counter.count());
    }
    if (meter instanceof Gauge gauge) {
      return String.format(Locale.ROOT, "%,d", (long) gauge.value());
    }
    if (meter instanceof Timer timer) {
      return String.format(Locale.ROOT, "%,d requests, mean %.3f ms, max %.3f ms", timer.count(),
          timer.mean(TimeUnit.MILLISECONDS), timer.max(TimeUnit.MILLISECONDS));
    }
    return meter.measure().toString();
  }

  private static void row(StringBuilder html, String name, String value, String cssClass) {
    html.append("<tr><td>").append(escape(name)).append("</td><td class=\"").append(cssClass).append("\">")
        .append(escape(value)).append("</td></tr>\n");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
