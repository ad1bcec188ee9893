package capslock.operations;

import capslock.metrics.Occurrences;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations port's connections, at most {@code http.maxConnections} open at once: one more is
 * closed at once, counted ({@code capslock.http.connections.rejected}) and said at most once a
 * minute. The port is open to the network by default, and each connection is one of the files the
 * process may open, which the TCP clients need. Runs on the HTTP server's event loop.
 */
final class HttpConnections implements Handler<HttpConnection> {

  private static final Logger log = LoggerFactory.getLogger(HttpConnections.class);

  private final int max;
  private final Counter rejected;
  private final Occurrences rejections = new Occurrences();
  private int open;

  HttpConnections(int max, MeterRegistry registry) {
    this.max = max;
    this.rejected =
        Counter.builder("capslock.http.connections.rejected")
            .description("HTTP connections closed at once: http.maxConnections were open")
            .register(registry);
  }

  @Override
  public void handle(HttpConnection connection) {
    if (open >= max) {
      rejected.increment();
      connection.close();
      rejections.countOne(
          count ->
              log.warn(
                  "HTTP connection from {} closed at once: {} are open (http.maxConnections);"
                      + " {} closed since the last such line",
                  connection.remoteAddress(),
                  open,
                  count));
      return;
    }
    open++;
    connection.closeHandler(closed -> open--);
  }
}
