package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import capslock.cluster.NodeProcess;
import capslock.limits.OpenFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The real jar, given a quarter of the direct memory ./run.sh gives it (32 MB), under clients that
 * each send 400 KB and never read, then close: the node stays up and answers a fresh client. Before
 * it counted its direct memory and the whole buffer each piece was read into, the pooled
 * allocator's chunks outgrew what it counted, an allocation failed on an event loop, the loop died,
 * and a fresh client was reset (as 5,000 such clients did with the 128 MB ./run.sh gives).
 */
class FloodIT {

  private static final int CLIENTS = 1_250;
  private static final int BYTES_EACH = 400 * 1024;
  private static final long MOST_NANOS = TimeUnit.SECONDS.toNanos(10);

  @Test
  void clientsThatFloodAndNeverReadThenCloseLeaveTheNodeServing() throws Exception {
    long hardLimit = OpenFiles.now().max(); // the JVM raises its own to the hard limit
    assumeTrue(hardLimit >= 4L * CLIENTS, "the hard limit on open files is " + hardLimit);
    List<String> jvm = new ArrayList<>(NodeProcess.runShJvmOptions());
    jvm.addAll(
        List.of(
            "-XX:MaxDirectMemorySize=32m", // after conf/jvm.options' own: the last one counts
            "-Dtcp.port=0",
            "-Dudp.port=0",
            "-Dhttp.port=0",
            "-Dhttp.host=127.0.0.1",
            "-Dtcp.host=127.0.0.1"));
    try (NodeProcess service =
        NodeProcess.start(
            "service",
            Path.of(System.getProperty("capslock.jar")),
            jvm,
            List.of("-conf", "conf/config.json"))) {
      int port = service.boundPort("TCP", Duration.ofSeconds(30));
      int http = service.boundPort("HTTP", Duration.ofSeconds(30));

      floodAndClose(port);

      String answer;
      try (Socket fresh = new Socket("127.0.0.1", port)) {
        fresh.setSoTimeout(10_000);
        fresh.getOutputStream().write("straße\n".getBytes(StandardCharsets.UTF_8));
        answer = lineFrom(fresh.getInputStream());
      } catch (IOException noAnswer) { // reset, or timed out
        answer = noAnswer.toString();
      }
      String said = service.log();
      assertEquals("STRASSE\n", answer, "a fresh client's line; the node said:\n" + said);
      assertEquals(0, service.countLines(line -> line.contains("OutOfMemoryError")), said);
      assertEquals(
          "capslock_tcp_node_full 0.0, capslock_tcp_node_pressed 0.0",
          nodeStateOnceAtRest(http),
          "what the pool keeps for its next buffers does not hold the node back once the flood has"
              + " gone");
    }
  }

  /**
   * The node's two gauges of what holds its connections back, once both are 0 or after 10 s: the
   * pool trims its event loops' caches once a second.
   */
  private static String nodeStateOnceAtRest(int httpPort) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest metrics =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      String state =
          http.send(metrics, HttpResponse.BodyHandlers.ofLines())
              .body()
              .filter(line -> line.matches("capslock_tcp_node_(full|pressed) .*"))
              .sorted()
              .collect(Collectors.joining(", "));
      if (!state.contains("1.0") || System.nanoTime() - deadline > 0) {
        return state;
      }
      TimeUnit.MILLISECONDS.sleep(100); // the next look: nothing to wait on but the gauges
    }
  }

  /**
   * Each client sends {@link #BYTES_EACH} bytes, as fast as the node takes them and for 10 s at the
   * most, and reads nothing; then all close.
   */
  private static void floodAndClose(int port) throws IOException {
    List<SocketChannel> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        client.configureBlocking(false);
        clients.add(client);
      }
      byte[] text = "flood, never read ".repeat(64).getBytes(StandardCharsets.UTF_8);
      ByteBuffer chunk = ByteBuffer.wrap(text);
      int[] left = new int[CLIENTS];
      Arrays.fill(left, BYTES_EACH);
      long deadline = System.nanoTime() + MOST_NANOS;
      boolean more = true;
      while (more && System.nanoTime() - deadline < 0) {
        more = false;
        for (int i = 0; i < CLIENTS; i++) {
          int written = 1;
          while (left[i] > 0 && written > 0) {
            chunk.clear().limit(Math.min(text.length, left[i]));
            written = clients.get(i).write(chunk);
            left[i] -= written;
          }
          more |= left[i] > 0;
        }
      }
    } finally {
      for (SocketChannel client : clients) {
        client.close();
      }
    }
  }

  private static String lineFrom(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int next = in.read(); next != -1; next = in.read()) {
      line.write(next);
      if (next == '\n') {
        break;
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
