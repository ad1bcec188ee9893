package capslock.server;

import capslock.client.Endpoint;
import capslock.client.LineExchange;
import capslock.client.TcpLineExchange;
import capslock.client.UdpLineExchange;
import capslock.config.Settings;
import capslock.metrics.Traffic;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a server pays once, paid at its start: the first use of its request path. Until the JIT has
 * compiled that path, every line is answered by interpreted code, and a person's lines never come
 * often enough to get it compiled: on the team's 2-vCPU VM a server just started answered the round
 * trip of one short line in 1-2 ms, and 0.05 ms once warm (docs/PERFORMANCE.md, "The round trip a
 * person sees").
 *
 * <p>So after the start, a few of the lesson's TCP and UDP clients send {@code warmUp.lines} lines
 * (within {@code warmUp.seconds}) of ASCII and real text to endpoints of the node's own on private
 * loopback ports: the same classes, workers and transform as the real ports, on real sockets;
 * private, so that the real ports, counters, limits and logs stay the clients'. The real ports
 * serve all the while. The TCP clients keep a connection for many lines, but for one that opens a
 * new connection for every line, as the lesson's TCP client does: what a server does once per
 * connection (accepting it, building its pipeline, its first read) is code of its own, and after a
 * start without it the first line of a new connection took about 1 ms, ten times the lesson's
 * server (docs/PERFORMANCE.md, "The lesson's TCP client: a connection a line"). Bounded in lines,
 * not only in time: the JIT's optimising compiler takes a method after thousands of calls, and a
 * warm-up of 2 s (2,500-5,200 lines on that VM) left most of the path to compiled code that still
 * counts every call, which a person's lines then met; after 30,000 lines (about 6 s there) a
 * person's idle round trip was a sixth shorter (docs/PERFORMANCE.md, "A warm-up by lines"). A
 * client's failure ends that client and is only reported.
 *
 * <p>It uses the time before the first client, and stands aside at the first request a real client
 * sends (a TCP line or a datagram; a connection alone does not count): a load's own lines warm what
 * they use, and the warm-up's lines, with the compilations of paths the load may never take, would
 * take CPU from it. Started with a load (the bench kit's, 0.5 s after the port opens), on one core,
 * a warm-up that ran its whole 2 s cost the load's first seconds a fifth of its ping-pongs
 * (docs/PERFORMANCE.md, "The kit, 2026-12-06, evening: the warm-up stands aside"). A person's first
 * line that comes before the warm-up is done ends it, and the lines after it may meet code not yet
 * compiled.
 */
final class PathWarmUp {

  /** Clients of each protocol, so that the endpoints also see requests that come together. */
  private static final int CLIENTS = 4;

  /**
   * How long one client of each protocol waits between lines: enough for the threads to go to
   * sleep, so that the way a person's line wakes them is warmed too, not only the busy path.
   */
  private static final long PAUSE_MS = 2;

  private static final int LINES_PER_CONNECTION = 200;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** A short line, a short one with a character that grows, the kit's real text, and ß. */
  private static final List<String> LINES =
      List.of(
          "hello, world",
          "ping straße",
          "Grüße aus Köln: straße, ǰ, ﬁ, ŉ, ﬀ, ΐ; Ελληνικά ωμέγα; русский текст; 안녕하세요 세계 😀 𐐨 ǅ",
          "ß".repeat(300));

  /**
   * Every so many lines, a big one: 16 KiB of ASCII, as the kit's tcp-big sends, whose reads,
   * copies and writes take paths of their own (a 64,000-byte ASCII datagram from a fresh start took
   * 1.0-1.8 ms without it, 0.3 ms with it). Only now and then: one takes as long as a hundred short
   * lines, and a person's lines are short.
   */
  private static final String BIG_LINE = "a".repeat(16 * 1024);

  private static final int BIG_LINE_EVERY = 25;

  private final Vertx vertx;
  private final long deadline;
  private final int maxLines;
  private final Traffic realTraffic; // what the real endpoints count
  // what they had counted when the warm-up began: an embedder's registry may be used again
  private final long realRequestsBefore;
  private boolean stoodAside; // for a real client; touched only on the caller's event loop
  private int tcpConnections; // opened so far; touched only on the caller's event loop
  private int lines; // answered so far; touched only on the caller's event loop

  private PathWarmUp(Vertx vertx, Settings.WarmUp asked, Traffic realTraffic) {
    this.vertx = vertx;
    this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(asked.seconds());
    this.maxLines = asked.lines();
    this.realTraffic = realTraffic;
    this.realRequestsBefore = realTraffic.requestsTaken();
  }

  /**
   * Warms the path for {@code settings.warmUp()} on endpoints of its own, or until the real
   * endpoints, counting into {@code realTraffic}, take a request, then closes them; run on a
   * verticle's context, whose child they are. Gives what was done, in a sentence.
   */
  static Future<String> run(Vertx vertx, Settings settings, Traffic realTraffic) {
    long started = System.nanoTime();
    PathWarmUp warmUp = new PathWarmUp(vertx, settings.warmUp(), realTraffic);
    EndpointsVerticle endpoints =
        new EndpointsVerticle(
            privateCopy(settings),
            new Traffic(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            EndpointsVerticle.UdpPort.ALONE,
            false);
    return vertx
        .deployVerticle(endpoints)
        .compose(
            id ->
                warmUp
                    .drive(endpoints.tcpPort(), endpoints.udpPort())
                    .eventually(() -> vertx.undeploy(id)))
        .map(done -> warmUp.report(started, null))
        .recover(failure -> Future.succeededFuture(warmUp.report(started, failure)));
  }

  /**
   * The settings with both endpoints on free loopback ports, the default limits (loopback exempt)
   * and no simulated loss or delay.
   */
  private static Settings privateCopy(Settings settings) {
    Settings.Udp udp = settings.udp();
    return new Settings(
        settings.role(),
        new Settings.Tcp("127.0.0.1", 0, settings.tcp().idleTimeoutSeconds()),
        new Settings.Udp(
            "127.0.0.1",
            0,
            udp.maxDatagramBytes(),
            udp.maxPendingDatagrams(),
            udp.maxPendingBytes(),
            0,
            null,
            0),
        new Settings.Http(settings.http().host(), Settings.Http.NONE, false),
        settings.worker(),
        Settings.Limits.DEFAULT,
        settings.cluster(),
        settings.warmUp());
  }

  /**
   * One TCP client as the lesson's, a connection a line; the other TCP clients and the UDP ones
   * keep theirs for many lines, and one of each of those is paced.
   */
  private Future<Void> drive(int tcpPort, int udpPort) {
    List<Future<Void>> clients = new ArrayList<>();
    clients.add(tcpClient(endpoint(tcpPort), 1, false)); // the lesson's
    for (int i = 1; i < CLIENTS; i++) {
      clients.add(tcpClient(endpoint(tcpPort), LINES_PER_CONNECTION, i == 1));
    }
    for (int i = 0; i < CLIENTS; i++) {
      boolean paced = i == 0;
      clients.add(
          UdpLineExchange.open(vertx, endpoint(udpPort))
              .compose(
                  exchange -> {
                    Promise<Void> done = Promise.promise();
                    exchange(exchange, Integer.MAX_VALUE, paced, done);
                    return done.future().eventually(exchange::closeAsync);
                  }));
    }
    // every client ended (and closed) before the endpoints go, even when one has failed
    return Future.join(clients).mapEmpty();
  }

  private static Endpoint endpoint(int port) {
    return new Endpoint("127.0.0.1", port, 0, TIMEOUT);
  }

  /** One TCP client: a connection for so many lines, then a new one, until the warm-up is over. */
  private Future<Void> tcpClient(Endpoint endpoint, int linesPerConnection, boolean paced) {
    Promise<Void> done = Promise.promise();
    connections(endpoint, linesPerConnection, paced, done);
    return done.future();
  }

  /** Its connections, one after the other, until the warm-up is over; then {@code done}. */
  private void connections(
      Endpoint endpoint, int linesPerConnection, boolean paced, Promise<Void> done) {
    if (over()) {
      done.complete();
      return;
    }
    TcpLineExchange.connect(vertx, endpoint, 0)
        .onFailure(done::fail)
        .onSuccess(
            exchange -> {
              tcpConnections++;
              Promise<Void> connectionDone = Promise.promise();
              exchange(exchange, linesPerConnection, paced, connectionDone);
              connectionDone
                  .future()
                  .eventually(exchange::closeAsync)
                  .onFailure(done::fail)
                  .onSuccess(closed -> connections(endpoint, linesPerConnection, paced, done));
            });
  }

  /**
   * Sends up to {@code left} lines, each once the last is answered (and, {@code paced}, a pause
   * after); each reply comes on an event of its own, so this goes on without the stack growing.
   */
  private void exchange(LineExchange exchange, int left, boolean paced, Promise<Void> done) {
    if (left == 0 || over()) {
      done.complete();
      return;
    }
    exchange
        .send(nextLine())
        .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) // a datagram may be lost
        .onFailure(done::fail)
        .onSuccess(
            reply -> {
              lines++;
              if (paced) {
                vertx.setTimer(PAUSE_MS, timer -> exchange(exchange, left - 1, true, done));
              } else {
                exchange(exchange, left - 1, false, done);
              }
            });
  }

  private String nextLine() {
    return lines % BIG_LINE_EVERY == BIG_LINE_EVERY - 1
        ? BIG_LINE
        : LINES.get(lines % LINES.size());
  }

  private boolean over() {
    stoodAside = stoodAside || realTraffic.requestsTaken() > realRequestsBefore;
    return stoodAside || lines >= maxLines || System.nanoTime() - deadline >= 0;
  }

  private String report(long started, Throwable failure) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    String done =
        String.format(
            "Warm-up: %,d lines answered on private loopback ports in %.1f s, over %,d TCP"
                + " connections",
            lines, millis / 1e3, tcpConnections);
    if (failure != null) {
      return done + ", then it stopped: " + failure.getMessage();
    }
    return stoodAside
        ? done + ", then it stood aside for the first real client's request"
        : done + ", so that the first clients' lines meet compiled code";
  }
}
