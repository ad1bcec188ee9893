package capslock.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Puts a load on any server that speaks the uppercase protocol and measures it: opens the
 * connections (or sockets), keeps them busy through the warm-up and the measured time, then
 * reports. Every reply is checked; the run is bounded in time and stops by itself.
 */
public final class LoadGenerator {

  /** A line of progress, once a second: seconds since the start, and that second's latencies. */
  public record Progress(int second, boolean warmingUp, Histogram interval, long errors) {}

  private final Vertx vertx;
  private final LoadOptions options;
  private final Measurements measurements = new Measurements();
  private NetClient
      tcpClient; // held for the run: Vert.x closes an unreachable client's connections

  public LoadGenerator(Vertx vertx, LoadOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** Runs the load; {@code progress} hears about each second. */
  public Future<LoadReport> run(Consumer<Progress> progress) {
    return openAll()
        .compose(
            streams -> {
              streams.forEach(LoadStream::start);
              Promise<LoadReport> done = Promise.promise();
              long warmupMillis = options.warmup().toMillis();
              long endMillis = warmupMillis + options.duration().toMillis();
              int[] second = {0};
              long ticker =
                  vertx.setPeriodic(
                      1000,
                      tick -> {
                        second[0]++;
                        progress.accept(
                            new Progress(
                                second[0],
                                second[0] * 1000L <= warmupMillis,
                                measurements.interval(),
                                measurements.errors()));
                      });
              vertx.setTimer(Math.max(1, warmupMillis), warm -> measurements.startMeasuring());
              vertx.setTimer(
                  Math.max(2, endMillis),
                  end -> {
                    vertx.cancelTimer(ticker);
                    LoadReport report =
                        measurements.report(options, options.duration().toMillis() / 1000.0);
                    Future.join(streams.stream().map(LoadStream::stop).toList())
                        .compose(
                            closed ->
                                tcpClient != null ? tcpClient.close() : Future.succeededFuture())
                        .onComplete(closed -> done.complete(report));
                  });
              return done.future();
            });
  }

  private Future<List<LoadStream>> openAll() {
    List<Future<? extends LoadStream>> opening = new ArrayList<>();
    if (options.protocol() == LoadOptions.Protocol.TCP) {
      tcpClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    }
    for (int i = 0; i < options.connections(); i++) {
      opening.add(
          options.protocol() == LoadOptions.Protocol.TCP
              ? TcpStream.open(tcpClient, options, measurements)
              : UdpStream.open(vertx, options, measurements));
    }
    return Future.all(opening).map(all -> all.list());
  }
}
