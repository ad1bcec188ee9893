package capslock.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster of processes from the fat jar: one endpoints node and two workers nodes.
 * Under a steady TCP load one worker node is killed (SIGKILL), then the other: every request
 * still gets its exact reply, in order, and the endpoints node says once that it upper-cases
 * locally. Runs after {@code package}, as a Maven integration test.
 */
@ExtendWith(VertxExtension.class)
class WorkerNodeKillIT {

  private static final Duration START = Duration.ofSeconds(60);
  /** Long enough for the cluster to notice a killed node (heartbeats: 5 s) and for the load to go on after it. */
  private static final Duration PHASE = Duration.ofSeconds(8);
  private static final int CONNECTIONS = 8;
  private static final Pattern RUNNING = Pattern.compile("capslock \\S+ is running");
  private static final String LOCAL_FALLBACK = "upper-casing locally";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void everyRequestGetsItsExactReplyWhileTheWorkerNodesAreKilled(Vertx vertx) throws Exception {
    Path jar = Path.of(System.getProperty("capslock.jar", "target/capslock-fat.jar"));
    assertTrue(Files.isRegularFile(jar), "the fat jar is built first: " + jar);
    String cluster = "\"cluster\": {\"name\": \"capslock-it-" + UUID.randomUUID() + "\"}";
    Path endpointsConfig = Files.writeString(dir.resolve("endpoints.json"), "{\"role\": \"endpoints\", " + cluster
        + ", \"tcp\": {\"host\": \"127.0.0.1\", \"port\": 0}, \"udp\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    Path workersConfig = Files.writeString(dir.resolve("workers.json"), "{\"role\": \"workers\", " + cluster + "}");

    try (NodeProcess endpoints = NodeProcess.start("endpoints", jar, endpointsConfig);
         NodeProcess firstWorkers = NodeProcess.start("workers-1", jar, workersConfig);
         NodeProcess secondWorkers = NodeProcess.start("workers-2", jar, workersConfig)) {
      int port = Integer.parseInt(endpoints.awaitLine(Pattern.compile("TCP listening on 127\\.0\\.0\\.1:(\\d+)"), START).group(1));
      endpoints.awaitLine(RUNNING, START);
      firstWorkers.awaitLine(RUNNING, START);
      secondWorkers.awaitLine(RUNNING, START);
      endpoints.awaitLine(Pattern.compile("Members \\{size:3"), START);

      SteadyTcpLoad load = new SteadyTcpLoad(vertx);
      load.start(port, CONNECTIONS).await(10, TimeUnit.SECONDS);
      long start = System.nanoTime();
      awaitMoreReplies(vertx, load);
      long beforeFirstKill = load.correct();

      firstWorkers.kill();
      awaitMoreReplies(vertx, load);
      long beforeSecondKill = load.correct();
      assertEquals(0, endpoints.countLines(line -> line.contains(LOCAL_FALLBACK)),
          "one workers node is left: no local upper-casing yet\n" + endpoints.log());

      secondWorkers.kill();
      awaitMoreReplies(vertx, load);
      load.stop().await(30, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;

      System.out.printf("Kill test over %.1f s, %d connections: %d requests sent, %d replies received, %d correct"
              + " (%d before the first kill, %d before the second); longest wait for a reply %d ms%n",
          seconds, CONNECTIONS, load.sent(), load.received(), load.correct(), beforeFirstKill, beforeSecondKill,
          load.longestWaitMillis());
      System.out.println("The endpoints node's log:\n" + endpoints.log());
      assertEquals(load.sent(), load.received(), "every request has its reply");
      assertEquals(load.sent(), load.correct(), "every reply is exact and in order");
      assertTrue(load.correct() > beforeSecondKill, "replies still come with no worker node left");
      assertEquals(1, endpoints.countLines(line -> line.contains(LOCAL_FALLBACK)),
          "the local upper-casing is said once\n" + endpoints.log());
      assertEquals(0, endpoints.stop(), "the endpoints node stops cleanly on SIGTERM\n" + endpoints.log());
    }
  }

  /** Lets the load run for one phase, and checks that replies kept coming meanwhile. */
  private static void awaitMoreReplies(Vertx vertx, SteadyTcpLoad load) throws Exception {
    long before = load.correct();
    vertx.timer(PHASE.toMillis(), TimeUnit.MILLISECONDS).await();
    assertTrue(load.correct() > before, "replies kept coming for " + PHASE);
  }
}
