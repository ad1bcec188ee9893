package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import capslock.cluster.NodeProcess;
import capslock.limits.OpenFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real jar allowed few files ({@code ulimit -n 1600}), against more local clients than fit: it
 * keeps its connections within its files, and the clients over its most wait for room. Out of
 * files, each accept would fail, and Netty's io_uring transport would log every failure, millions
 * of lines in seconds.
 */
class OpenFilesIT {

  private static final int MAX_FILES = 1_600;

  /**
   * Clients over the node's most connections, fewer than the kernel's queue holds; and no more than
   * a burst over the most that the node serves (a quarter of it), as they may all be accepted at
   * once when room comes.
   */
  private static final int WAITING = 200;

  private static final byte[] LINE = "straße\n".getBytes(StandardCharsets.UTF_8);
  private static final String REPLY = "STRASSE\n";

  @Test
  void moreClientsThanFitWaitForRoomWhileTheOthersAreServed() throws Exception {
    // the service's limit is set below the hard one, and this test's own clients need as many
    long hardLimit = OpenFiles.now().max(); // the JVM raises its own to the hard limit
    assumeTrue(hardLimit >= 2L * MAX_FILES, "the hard limit on open files is " + hardLimit);
    List<String> jvm = new ArrayList<>(NodeProcess.runShJvmOptions());
    jvm.addAll(List.of("-Dtcp.port=0", "-Dudp.port=0", "-Dhttp.port=-1", "-Dtcp.host=127.0.0.1"));
    try (NodeProcess service =
        NodeProcess.startWithOpenFiles(
            "service",
            MAX_FILES,
            Path.of(System.getProperty("capslock.jar")),
            jvm,
            List.of("-conf", "conf/config.json"))) {
      int fit =
          Integer.parseInt(
              service
                  .awaitLine(
                      Pattern.compile("At most (\\d+) TCP connections in all"),
                      Duration.ofSeconds(30))
                  .group(1));
      assertTrue(fit > 100 && fit < MAX_FILES, fit + " connections fit in " + MAX_FILES + " files");
      assumeTrue(
          fit / 4 >= WAITING,
          "this machine leaves room for "
              + fit
              + " connections: too few for a burst of "
              + WAITING);
      int port = service.boundPort("TCP", Duration.ofSeconds(30));

      List<Socket> clients = new ArrayList<>();
      try {
        for (int i = 0; i < fit; i++) { // all at once, before any is served
          clients.add(new Socket("127.0.0.1", port));
        }
        for (Socket first : clients) {
          assertTrue(answers(first), "one of the first " + fit);
        }
        service.awaitLine(
            Pattern.compile("TCP: " + fit + " connections open, the node's most"),
            Duration.ofSeconds(10));
        // the node no longer accepts: these wait in the kernel's queue, their line with them
        List<Socket> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
          Socket client = new Socket("127.0.0.1", port);
          client.getOutputStream().write(LINE);
          waiting.add(client);
        }
        clients.addAll(waiting);
        Socket last = waiting.get(WAITING - 1);
        last.setSoTimeout(500); // a port that kept accepting would have answered it by then
        assertThrows(
            SocketTimeoutException.class,
            () -> last.getInputStream().read(),
            "the node is full: the last to come waits, unanswered");
        for (Socket first : clients.subList(0, fit)) {
          first.close();
        }
        // each client that waited is served once there is room, also those of the burst that
        // Vert.x accepts (on a thread of its own, ahead of the event loops that count) as the
        // room fills again
        int served = 0;
        for (Socket client : waiting) {
          if (replied(client)) {
            served++;
          }
          client.close();
        }
        assertEquals(WAITING, served, "of the " + WAITING + " that waited, served");
        assertEquals(
            0,
            service.countLines(line -> line.contains("Too many open files")),
            "the files never ran out:\n" + service.log());
      } finally {
        for (Socket client : clients) {
          client.close();
        }
      }
      try (Socket later = new Socket("127.0.0.1", port)) {
        assertTrue(answers(later), "once they have gone, a new client is served");
      }
    }
  }

  /** Whether the server answers a line on {@code client} (false: it closed the connection). */
  private static boolean answers(Socket client) throws IOException {
    client.getOutputStream().write(LINE);
    return replied(client);
  }

  /** Whether the reply to the line sent on {@code client} comes (false: it was closed). */
  private static boolean replied(Socket client) throws IOException {
    client.setSoTimeout(10_000);
    try {
      InputStream in = client.getInputStream();
      byte[] reply = new byte[REPLY.length()];
      int got = 0;
      while (got < reply.length) {
        int n = in.read(reply, got, reply.length - got);
        if (n < 0) {
          return false;
        }
        got += n;
      }
      assertEquals(REPLY, new String(reply, StandardCharsets.UTF_8));
      return true;
    } catch (SocketException reset) {
      return false;
    } catch (SocketTimeoutException silent) {
      throw new AssertionError("no reply and no close in 10 s", silent);
    }
  }
}
