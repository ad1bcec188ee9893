package capslock.cli;

import capslock.bench.LoadGenerator;
import capslock.bench.LoadOptions;
import capslock.bench.LoadReport;
import capslock.bench.ReportPage;
import capslock.bench.Timeline;
import capslock.protocol.Protocol;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capslock bench tcp|udp}: a load generator that checks every reply and measures throughput
 * and latency.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    sortOptions = false,
    description =
        "Puts a load on an uppercase server (capslock or any other that speaks the protocol), "
            + "checks every reply byte, and reports messages/s, MB/s and round-trip percentiles. "
            + "Exit status 1 if any reply was wrong.")
public final class BenchCommand implements Callable<Integer> {

  private final Vertx vertx; // null: one of its own
  private final PrintStream out;
  private final PrintStream err;
  private final boolean showProgress;

  @Parameters(index = "0", paramLabel = "tcp|udp", description = "the protocol to load")
  String protocol;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "server address (default: ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--port",
      description =
          "server port (default: "
              + Protocol.TCP_PORT
              + " for tcp, "
              + Protocol.UDP_PORT
              + " for udp)")
  Integer port;

  @Option(
      names = "--connections",
      defaultValue = "16",
      paramLabel = "N",
      description = "TCP connections, or UDP sockets (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(
      names = "--depth",
      defaultValue = "16",
      paramLabel = "D",
      description = "messages in flight on each (default: ${DEFAULT-VALUE})")
  int depth;

  @Option(
      names = "--size",
      defaultValue = "64",
      paramLabel = "BYTES",
      description =
          "bytes per message: lowercase letters and a newline (default: ${DEFAULT-VALUE})")
  int size;

  @Option(
      names = "--duration",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "how long to measure (default: ${DEFAULT-VALUE})")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      paramLabel = "SECONDS",
      description = "load before measuring, for the JIT and the caches (default: ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--json", description = "print the result as one JSON object, for machines")
  boolean json;

  @Option(
      names = "--report",
      paramLabel = "FILE.html",
      description =
          "also write the run as one self-contained HTML page: throughput per second and the "
              + "latency percentile distribution as charts, the parameters and the summary")
  Path reportFile;

  private final Timeline timeline = new Timeline();

  BenchCommand(Vertx vertx, PrintStream out, PrintStream err, boolean showProgress) {
    this.vertx = vertx;
    this.out = out;
    this.err = err;
    this.showProgress = showProgress;
  }

  public static void main(String[] args) {
    CleanExit.onStopSignalsAsInterrupted("bench: interrupted before the end of the run: no report");
    System.exit(
        new BenchCommand(null, System.out, System.err, Commands.atTerminal()).execute(args));
  }

  int execute(String... args) {
    return Commands.execute(this, out, err, args);
  }

  @Override
  public Integer call() {
    LoadOptions options;
    try {
      LoadOptions.Protocol chosen = LoadOptions.Protocol.valueOf(protocol.toUpperCase(Locale.ROOT));
      int target =
          port != null
              ? port
              : chosen == LoadOptions.Protocol.TCP ? Protocol.TCP_PORT : Protocol.UDP_PORT;
      options =
          new LoadOptions(
              chosen,
              host,
              target,
              connections,
              depth,
              size,
              Duration.ofSeconds(warmupSeconds),
              Duration.ofSeconds(durationSeconds));
    } catch (IllegalArgumentException e) {
      err.println(
          "bench: "
              + (e.getMessage().startsWith("No enum")
                  ? "the protocol is tcp or udp"
                  : e.getMessage()));
      return 2;
    }
    try {
      InetAddress.getByName(host); // said at once, rather than as a load whose every send fails
    } catch (UnknownHostException e) {
      err.println("bench: unknown host " + host);
      return 1;
    }
    Vertx running = vertx != null ? vertx : Vertx.vertx();
    try {
      LoadReport report = new LoadGenerator(running, options).run(this::progress).await();
      out.print(json ? report.toJson().encode() + "\n" : report.toText());
      if (reportFile != null && !writeReport(report)) {
        return 1;
      }
      return report.ok() ? 0 : 1;
    } catch (Exception e) { // Vert.x's await throws a failure's cause as it is, checked or not
      err.println(
          "bench: cannot load "
              + options.host()
              + ":"
              + options.port()
              + ": "
              + (e instanceof ConnectException ? "the connection was refused" : e.getMessage()));
      return 1;
    } finally {
      if (vertx == null) {
        running.close();
      }
    }
  }

  private boolean writeReport(LoadReport report) {
    try {
      ReportPage.write(reportFile, report, timeline);
      err.println("Report written to " + reportFile);
      return true;
    } catch (IOException e) {
      String reason =
          e instanceof NoSuchFileException
              ? "its directory does not exist"
              : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
      err.println("bench: cannot write the report " + reportFile + ": " + reason);
      return false;
    }
  }

  private void progress(LoadGenerator.Progress progress) {
    timeline.add(progress);
    if (showProgress) {
      err.printf(
          Locale.ROOT,
          "%4d s %s %,10d msg/s  p50 %s  p99 %s  errors %d%n",
          progress.second(),
          progress.warmingUp() ? "(warm-up)" : "         ",
          progress.interval().getTotalCount(),
          LoadReport.millis(progress.interval().getValueAtPercentile(50)),
          LoadReport.millis(progress.interval().getValueAtPercentile(99)),
          progress.errors());
    }
  }
}
