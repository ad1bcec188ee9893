package capslock.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster of processes from the fat jar: one endpoints node and two workers nodes, under the
 * bench kit's 16 x 16 shape over TCP and UDP at once, every reply checked. The workers nodes go one
 * after the other, killed (SIGKILL) or stopped (SIGTERM): no TCP request loses its reply or gets a
 * wrong one, and every UDP datagram is answered or counted by the service as dropped. Runs after
 * {@code package}, as a Maven integration test.
 */
@ExtendWith(VertxExtension.class)
class WorkerNodeFailureIT {

  private static final Duration START = Duration.ofSeconds(60);

  /**
   * Long enough for the cluster to notice a killed node (heartbeats: 5 s) and for the load to go on
   * after it.
   */
  private static final Duration PHASE = Duration.ofSeconds(8);

  private static final int STREAMS = 16;
  private static final int IN_FLIGHT = 16;
  private static final Pattern RUNNING = Pattern.compile("capslock \\S+ is running");
  private static final String LOCAL_FALLBACK = "upper-casing locally";

  @TempDir Path dir;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void killedWorkerNodesLoseNoRequest(Vertx vertx) throws Exception {
    runWhileWorkerNodesGo(vertx, NodeProcess::kill);
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void stoppedWorkerNodesFinishOrHandBackWhatTheyHold(Vertx vertx) throws Exception {
    PipelinedLoad load =
        runWhileWorkerNodesGo(
            vertx, node -> assertEquals(0, node.stop(), "a workers node stops cleanly"));
    long longest =
        TimeUnit.NANOSECONDS.toMillis(
            Math.max(load.tcp.longestWaitNanos.get(), load.udp.longestWaitNanos.get()));
    // a stopped node hands back what it held: no request waits for a try's timeout (2 s), nor for
    // the node to leave the cluster
    assertTrue(
        longest < 1_000,
        "a stopped workers node costs a request under a second: the longest waited "
            + longest
            + " ms");
  }

  /** What happens to a workers node: killed, or stopped. */
  private interface Going {
    void go(NodeProcess node) throws Exception;
  }

  private PipelinedLoad runWhileWorkerNodesGo(Vertx vertx, Going going) throws Exception {
    Path jar = Path.of(System.getProperty("capslock.jar", "target/capslock-fat.jar"));
    assertTrue(Files.isRegularFile(jar), "the fat jar is built first: " + jar);
    String cluster = "\"cluster\": {\"name\": \"capslock-it-" + UUID.randomUUID() + "\"}";
    Path endpointsConfig =
        Files.writeString(
            dir.resolve("endpoints.json"),
            "{\"role\": \"endpoints\", "
                + cluster
                + ", \"tcp\": {\"host\": \"127.0.0.1\", \"port\": 0}, \"udp\": {\"host\": \"127.0.0.1\", \"port\": 0},"
                + " \"http\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    Path workersConfig =
        Files.writeString(dir.resolve("workers.json"), "{\"role\": \"workers\", " + cluster + "}");

    try (NodeProcess endpoints = NodeProcess.start("endpoints", jar, endpointsConfig);
        NodeProcess firstWorkers = NodeProcess.start("workers-1", jar, workersConfig);
        NodeProcess secondWorkers = NodeProcess.start("workers-2", jar, workersConfig)) {
      int tcpPort = endpoints.boundPort("TCP", START);
      int udpPort = endpoints.boundPort("UDP", START);
      int httpPort = endpoints.boundPort("HTTP", START);
      endpoints.awaitLine(RUNNING, START);
      firstWorkers.awaitLine(RUNNING, START);
      secondWorkers.awaitLine(RUNNING, START);
      endpoints.awaitLine(Pattern.compile("Members \\{size:3"), START);

      PipelinedLoad load = new PipelinedLoad(vertx);
      load.start(vertx, tcpPort, udpPort, STREAMS, IN_FLIGHT).await(10, TimeUnit.SECONDS);
      long start = System.nanoTime();
      awaitMoreReplies(vertx, load);
      long beforeFirst = load.tcp.answered.get() + load.udp.answered.get();

      double firstWent = (System.nanoTime() - start) / 1e9;
      load.tcp.forgetLongestWait(); // the waits that count are those from the first node's going
      load.udp.forgetLongestWait();
      going.go(firstWorkers);
      awaitMoreReplies(vertx, load);
      assertEquals(
          0,
          endpoints.countLines(line -> line.contains(LOCAL_FALLBACK)),
          "one workers node is left: no local upper-casing yet\n" + endpoints.log());

      double secondWent = (System.nanoTime() - start) / 1e9;
      going.go(secondWorkers);
      awaitMoreReplies(vertx, load);
      load.stop(vertx, 15_000).await(30, TimeUnit.SECONDS);
      long overloadDrops = metric(httpPort, "capslock_udp_overload_drops_total");

      System.out.printf(
          "Three phases of %d s over %.1f s, %d TCP and %d UDP streams with %d in flight each"
              + " (%,d replies before the first workers node went, at %.1f s; the second went at"
              + " %.1f s):%n  TCP: %s%n  UDP: %s%n  UDP datagrams the service dropped and counted"
              + " (overload): %d%n",
          PHASE.toSeconds(),
          (System.nanoTime() - start) / 1e9,
          STREAMS,
          STREAMS,
          IN_FLIGHT,
          beforeFirst,
          firstWent,
          secondWent,
          load.tcp,
          load.udp,
          overloadDrops);
      System.out.println("The endpoints node's log:\n" + endpoints.log());
      assertEquals(0, load.tcp.wrong.get(), "every TCP reply is exact and in order");
      assertEquals(0, load.tcp.missing(), "every TCP request has its reply");
      assertEquals(
          0, load.udp.wrong.get(), "every UDP reply is the exact upper case of a request, once");
      assertEquals(
          overloadDrops,
          load.udp.missing(),
          "every UDP datagram is answered, or counted as dropped");
      assertEquals(
          1,
          endpoints.countLines(line -> line.contains(LOCAL_FALLBACK)),
          "the local upper-casing is said once\n" + endpoints.log());
      assertEquals(
          0, endpoints.stop(), "the endpoints node stops cleanly on SIGTERM\n" + endpoints.log());
      return load;
    }
  }

  /** Lets the load run for one phase, and checks that replies kept coming meanwhile. */
  private static void awaitMoreReplies(Vertx vertx, PipelinedLoad load) throws Exception {
    long tcp = load.tcp.answered.get();
    long udp = load.udp.answered.get();
    vertx.timer(PHASE.toMillis(), TimeUnit.MILLISECONDS).await();
    assertTrue(
        load.tcp.answered.get() > tcp && load.udp.answered.get() > udp,
        "replies kept coming for " + PHASE);
  }

  /** A capslock counter, read from the node's /metrics. */
  private static long metric(int httpPort, String name) throws Exception {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher value =
        Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.Ee+]+)$").matcher(metrics);
    assertTrue(value.find(), name + " in /metrics");
    return (long) Double.parseDouble(value.group(1));
  }
}
