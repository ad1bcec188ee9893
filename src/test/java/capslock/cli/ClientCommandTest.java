package capslock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import capslock.server.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lesson's clients, run as a user runs them, against capslock and against the lesson's own kind
 * of server.
 */
@ExtendWith(VertxExtension.class)
class ClientCommandTest {

  private static final Pattern RESPONSE_TIME = Pattern.compile("Response time: \\d+\\.\\d{3} ms");

  @Test
  void tcpClientPrintsEachReplyAndItsResponseTimeInTheLessonsFormat(Vertx vertx) {
    TestServer.Running server = TestServer.start(vertx).await();
    String longLine = "x".repeat(100 * 1024);
    Run run =
        client(
            vertx,
            "hello\n한국어\nstraße\n" + longLine + "\n",
            "tcp",
            "--host",
            "127.0.0.1",
            "--port",
            port(server.tcpPort()));
    assertEquals(0, run.status(), run.toString());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).matches("The client is running on port \\d+"), run.toString());
    assertEquals("Reply from server: HELLO", lines.get(1));
    assertTrue(RESPONSE_TIME.matcher(lines.get(2)).matches(), lines.get(2));
    assertEquals("Reply from server: 한국어", lines.get(3));
    assertEquals("Reply from server: STRASSE", lines.get(5));
    assertEquals("Reply from server: " + "X".repeat(100 * 1024), lines.get(7));
    assertEquals(9, lines.size());
  }

  @Test
  void udpClientPrintsEachReplyAndItsResponseTimeInTheLessonsFormat(Vertx vertx) {
    TestServer.Running server = TestServer.start(vertx).await();
    Run run =
        client(
            vertx,
            "hello\n한국어\nstraße\n",
            "udp",
            "--host",
            "127.0.0.1",
            "--port",
            port(server.udpPort()));
    assertEquals(0, run.status(), run.toString());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).matches("The client is running on port \\d+"), run.toString());
    assertEquals(
        List.of("Reply from server: HELLO", "Reply from server: 한국어", "Reply from server: STRASSE"),
        List.of(lines.get(1), lines.get(3), lines.get(5)));
    assertTrue(RESPONSE_TIME.matcher(lines.get(6)).matches(), lines.get(6));
  }

  @Test
  void showsThePromptWhenAPersonTypes(Vertx vertx) {
    TestServer.Running server = TestServer.start(vertx).await();
    Run run =
        run(vertx, "hi\n", true, "udp", "--host", "127.0.0.1", "--port", port(server.udpPort()));
    assertTrue(
        run.out().contains("Input lowercase sentence: Reply from server: HI"), run.toString());
  }

  @Test
  void bindsTheLocalPortItIsGiven(Vertx vertx) throws IOException {
    TestServer.Running server = TestServer.start(vertx).await();
    int free;
    try (DatagramSocket probe = new DatagramSocket(0)) {
      free = probe.getLocalPort();
    }
    Run run =
        client(
            vertx,
            "a\n",
            "udp",
            "--host",
            "127.0.0.1",
            "--port",
            port(server.udpPort()),
            "--local-port",
            port(free));
    assertTrue(
        run.out().startsWith("The client is running on port " + free + "\n"), run.toString());
  }

  @Test
  void aLocalPortInUseIsOneClearLine(Vertx vertx) throws IOException {
    try (DatagramSocket taken = new DatagramSocket(0)) {
      Run run =
          client(vertx, "a\n", "udp", "--port", "9", "--local-port", port(taken.getLocalPort()));
      assertEquals(1, run.status());
      assertEquals(
          "Local port "
              + taken.getLocalPort()
              + " is already in use: choose another --local-port\n",
          run.err());
    }
  }

  @Test
  void tcpClientWorksWithTheLessonsBlockingServer(Vertx vertx) throws Exception {
    try (ServerSocket lesson = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = started(() -> serveOnce(lesson)); // recv(1024), upper, send, close
      Run run =
          client(
              vertx,
              "hello from the lesson\n",
              "tcp",
              "--host",
              "127.0.0.1",
              "--port",
              port(lesson.getLocalPort()));
      server.join(10_000);
      assertEquals(0, run.status(), run.toString());
      assertTrue(run.out().contains("Reply from server: HELLO FROM THE LESSON\n"), run.toString());
    }
  }

  /** A datagram from anyone but the server is not its reply: it came to the client's port first. */
  @Test
  void aDatagramFromAnotherSenderIsNotTakenForTheReply(Vertx vertx) throws Exception {
    try (DatagramSocket lesson = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread server =
          started(
              () -> {
                try {
                  DatagramPacket request = new DatagramPacket(new byte[1024], 1024);
                  lesson.receive(request);
                  byte[] stray = "NOT THE REPLY".getBytes(StandardCharsets.UTF_8);
                  stranger.send(
                      new DatagramPacket(stray, stray.length, request.getSocketAddress()));
                  byte[] reply = "ONE".getBytes(StandardCharsets.UTF_8);
                  lesson.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      Run run =
          client(
              vertx, "one\n", "udp", "--host", "127.0.0.1", "--port", port(lesson.getLocalPort()));
      server.join(10_000);
      assertEquals(0, run.status(), run.toString());
      assertTrue(run.out().contains("Reply from server: ONE\n"), run.toString());
      assertFalse(run.out().contains("NOT THE REPLY"), run.toString());
    }
  }

  /**
   * The lesson's server answers, named by its address or by the wildcard address 0.0.0.0: this
   * machine, which Linux takes for 127.0.0.1, whose replies are the server's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "0.0.0.0"})
  void udpClientWorksWithTheLessonsBlockingServer(String host, Vertx vertx) throws Exception {
    try (DatagramSocket lesson = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread server = started(() -> answerDatagrams(lesson, 2));
      Run run =
          client(vertx, "one\ntwo\n", "udp", "--host", host, "--port", port(lesson.getLocalPort()));
      server.join(10_000);
      assertEquals(0, run.status(), run.toString());
      assertTrue(
          run.out().contains("Reply from server: ONE\n")
              && run.out().contains("Reply from server: TWO\n"),
          run.toString());
    }
  }

  @Test
  void aRefusedConnectionIsRetriedThenOneClearLine(Vertx vertx) throws IOException {
    int closed;
    try (ServerSocket probe = new ServerSocket(0)) {
      closed = probe.getLocalPort();
    }
    for (String[] retried :
        new String[][] {{"1", "tried 2 times, 1 s apart"}, {"0", "tried once"}}) {
      Run run =
          client(
              vertx,
              "a\n",
              "tcp",
              "--host",
              "127.0.0.1",
              "--port",
              port(closed),
              "--retries",
              retried[0]);
      assertEquals(1, run.status());
      assertEquals(
          "Connection refused by 127.0.0.1:"
              + closed
              + " ("
              + retried[1]
              + "): is the server running?\n",
          run.err());
    }
  }

  /**
   * A server whose queue of connections to accept is full drops the next client's SYN, and the
   * client waits: once for --timeout, not tried again as a refusal is (Vert.x's own retries tried
   * each of eleven for its 60 s default).
   */
  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aConnectionNotAnsweredTimesOutOnceAfterTheTimeout(Vertx vertx) throws Exception {
    try (ServerSocket deaf = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> queued = new ArrayList<>();
      try {
        boolean full = false;
        while (!full && queued.size() < 16) { // until the kernel queues no more: a SYN is dropped
          Socket next = new Socket();
          try {
            next.connect(deaf.getLocalSocketAddress(), 1_000);
            queued.add(next);
          } catch (SocketTimeoutException dropped) {
            next.close();
            full = true;
          }
        }
        assumeTrue(full, "this network stack answers every connection (SYN cookies, say)");
        long start = System.nanoTime();
        Run run =
            client(
                vertx,
                "a\n",
                "tcp",
                "--host",
                "127.0.0.1",
                "--port",
                port(deaf.getLocalPort()),
                "--timeout",
                "0.5",
                "--retries",
                "10");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(1, run.status(), run.toString());
        assertEquals(
            "Connection timed out: no answer from 127.0.0.1:"
                + deaf.getLocalPort()
                + " within 0.5 s (--timeout): is the host up, and is its port open to you?\n",
            run.err());
        assertTrue(tookMs < 10_000, "tried once: " + tookMs + " ms"); // ten retries: 15 s more
      } finally {
        for (Socket socket : queued) {
          socket.close();
        }
      }
    }
  }

  @Test
  void anUnknownHostIsOneClearLineAtOnce(Vertx vertx) {
    Run run = client(vertx, "a\n", "tcp", "--host", "no-such-host.invalid");
    assertEquals(1, run.status());
    assertEquals("Unknown host: no-such-host.invalid\n", run.err());
  }

  @Test
  void aResetMidConversationIsOneClearLine(Vertx vertx) throws Exception {
    try (ServerSocket rude = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = started(() -> answerThenReset(rude));
      Run run =
          client(
              vertx,
              "first\nsecond\n",
              "tcp",
              "--host",
              "127.0.0.1",
              "--port",
              port(rude.getLocalPort()));
      server.join(10_000);
      assertEquals(1, run.status(), run.toString());
      assertTrue(run.out().contains("Reply from server: FIRST\n"), run.toString());
      assertEquals("Connection reset by the server\n", run.err());
    }
  }

  @Test
  void aTcpReplyThatNeverComesTimesOutAndEnds(Vertx vertx) throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run run =
          client(
              vertx,
              "anyone?\nstill there?\n",
              "tcp",
              "--host",
              "127.0.0.1",
              "--port",
              port(silent.getLocalPort()),
              "--timeout",
              "0.5");
      assertEquals(1, run.status(), run.toString());
      assertEquals("Connection timed out (no reply within 0.5 s)\n", run.err());
    }
  }

  @Test
  void aUdpReplyThatNeverComesTimesOutAndTheClientGoesOn(Vertx vertx) throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Run run =
          client(
              vertx,
              "one\ntwo\n",
              "udp",
              "--host",
              "127.0.0.1",
              "--port",
              port(silent.getLocalPort()),
              "--timeout",
              "0.3");
      assertEquals(0, run.status(), run.toString());
      assertEquals("Connection timed out (no reply within 0.3 s)\n".repeat(2), run.err());
    }
  }

  /**
   * A reply that comes after its line timed out is not taken for the next line's: that line goes
   * from a new port. Here the server answers the first line only once the second has come.
   */
  @Test
  void aLateUdpReplyIsNotTakenForTheNextLines(Vertx vertx) throws Exception {
    try (DatagramSocket late = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      late.setSoTimeout(10_000);
      Thread server = started(() -> answerBothOnceTheSecondHasCome(late));
      Run run =
          client(
              vertx,
              "one\ntwo\n",
              "udp",
              "--host",
              "127.0.0.1",
              "--port",
              port(late.getLocalPort()),
              "--timeout",
              "0.5");
      server.join(10_000);
      assertEquals(0, run.status(), run.toString());
      assertEquals("Connection timed out (no reply within 0.5 s)\n", run.err());
      assertEquals(
          List.of("Reply from server: TWO"),
          run.out().lines().filter(line -> line.startsWith("Reply")).toList());
    }
  }

  private static void answerBothOnceTheSecondHasCome(DatagramSocket socket) {
    try {
      DatagramPacket first = new DatagramPacket(new byte[100], 100);
      DatagramPacket second = new DatagramPacket(new byte[100], 100);
      socket.receive(first);
      socket.receive(second);
      for (DatagramPacket request : List.of(first, second)) {
        byte[] upper =
            new String(request.getData(), 0, request.getLength(), StandardCharsets.UTF_8)
                .toUpperCase(Locale.ROOT)
                .getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(upper, upper.length, request.getSocketAddress()));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Lines go as the bytes read and replies are printed as the bytes that came, whatever the
   * terminal's charset: invalid UTF-8 is not replaced (with U+FFFD), and real text is not lost (as
   * "?") where the locale is C, whose charset is ASCII.
   */
  @ParameterizedTest
  @CsvSource({"tcp", "udp"})
  void linesAndRepliesAreTheirBytesWhateverTheTerminalsCharset(String protocol, Vertx vertx) {
    TestServer.Running server = TestServer.start(vertx).await();
    byte[] invalid = {'a', 'b', (byte) 0xFF, 'c', 'd', '\n'};
    byte[] realText = "straße 한국어\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        new ClientCommand(
                vertx,
                new ByteArrayInputStream(concat(invalid, realText)),
                new PrintStream(out, true, StandardCharsets.US_ASCII),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                false)
            .execute(
                protocol,
                "--host",
                "127.0.0.1",
                "--port",
                port(protocol.equals("tcp") ? server.tcpPort() : server.udpPort()));
    assertEquals(0, status);
    String printed = out.toString(StandardCharsets.ISO_8859_1); // a char for each byte
    byte[] replyToInvalid =
        concat(
            "Reply from server: ".getBytes(StandardCharsets.US_ASCII),
            new byte[] {'A', 'B', (byte) 0xFF, 'C', 'D', '\n'});
    byte[] replyToRealText = ("Reply from server: STRASSE 한국어\n").getBytes(StandardCharsets.UTF_8);
    assertTrue(printed.contains(new String(replyToInvalid, StandardCharsets.ISO_8859_1)), printed);
    assertTrue(printed.contains(new String(replyToRealText, StandardCharsets.ISO_8859_1)), printed);
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  /** An empty line is an empty datagram, which gets an empty reply, as the lesson's client's. */
  @Test
  void anEmptyUdpLineGetsAnEmptyReply(Vertx vertx) {
    TestServer.Running server = TestServer.start(vertx).await();
    Run run =
        client(
            vertx,
            "one\n\ntwo\n",
            "udp",
            "--host",
            "127.0.0.1",
            "--port",
            port(server.udpPort()),
            "--timeout",
            "5");
    assertEquals(0, run.status(), run.toString());
    assertEquals("", run.err());
    assertEquals(
        List.of("Reply from server: ONE", "Reply from server: ", "Reply from server: TWO"),
        run.out().lines().filter(line -> line.startsWith("Reply")).toList());
  }

  @Test
  void aUdpLineTooLongForADatagramIsRefusedAndTheNextIsSent(Vertx vertx) {
    TestServer.Running server = TestServer.start(vertx).await();
    Run run =
        client(
            vertx,
            "y".repeat(70_000) + "\nnext\n",
            "udp",
            "--host",
            "127.0.0.1",
            "--port",
            port(server.udpPort()));
    assertEquals(0, run.status(), run.toString());
    assertEquals(
        "Line not sent: 70000 bytes is more than the largest datagram (65507 bytes)\n", run.err());
    assertTrue(run.out().contains("Reply from server: NEXT\n"), run.toString());
  }

  @Test
  void thePingerCountsExactlyWhatTheServerDropped(Vertx vertx) {
    long seed = 42;
    int count = 20;
    TestServer.Running server =
        TestServer.start(
                vertx,
                new JsonObject()
                    .put(
                        "udp",
                        new JsonObject().put("simulatedLoss", 0.5).put("simulatedLossSeed", seed)))
            .await();
    Random sameDraws = new Random(seed);
    long answered =
        java.util.stream.IntStream.range(0, count)
            .filter(i -> sameDraws.nextDouble() >= 0.5)
            .count();

    Run run =
        client(
            vertx,
            "",
            ping(
                server.udpPort(),
                "--count",
                String.valueOf(count),
                "--interval",
                "0",
                "--timeout",
                "0.3"));
    assertEquals(0, run.status(), run.toString());
    double loss = 100.0 * (count - answered) / count;
    assertTrue(
        run.out()
            .contains(
                String.format(
                    Locale.ROOT,
                    "%d datagrams transmitted, %d received, %.1f%% loss",
                    count,
                    answered,
                    loss)),
        run.toString());
    assertEquals(count - answered, server.count("capslock.udp.simulated.losses"));
    assertEquals(
        count - answered,
        run.out()
            .lines()
            .filter(
                line -> line.matches("Request timeout for seq \\d+ \\(no reply within 0\\.3 s\\)"))
            .count());
  }

  @Test
  void thePingerSeesTheSimulatedDelay(Vertx vertx) {
    TestServer.Running server =
        TestServer.start(
                vertx, new JsonObject().put("udp", new JsonObject().put("simulatedDelayMs", 50)))
            .await();
    Run run = client(vertx, "", ping(server.udpPort(), "--count", "3", "--interval", "0"));
    assertEquals(0, run.status(), run.toString());
    Matcher rtt = Pattern.compile("rtt min/avg/max/mdev = ([0-9.]+)/").matcher(run.out());
    assertTrue(rtt.find(), run.toString());
    assertTrue(Double.parseDouble(rtt.group(1)) >= 50.0, run.toString());
  }

  /**
   * Ctrl+C (or SIGTERM, which a process started in the background without job control gets instead:
   * it ignores SIGINT) stops the pinger as it stops ping: with the summary of the pings sent so
   * far, and exit status 0 since some were answered.
   */
  @Test
  void thePingerStoppedByASignalPrintsTheSummarySoFar(Vertx vertx) throws Exception {
    TestServer.Running server = TestServer.start(vertx).await();
    Process pinger = clientProcess(ping(server.udpPort(), "--count", "100000", "--interval", "10"));
    try {
      BufferedReader said =
          new BufferedReader(
              new InputStreamReader(pinger.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      while (lines.stream().filter(line -> line.startsWith("Reply from ")).count() < 3) {
        String line = said.readLine();
        assertTrue(line != null, "the pinger ended before three replies:\n" + lines);
        lines.add(line);
      }
      pinger.toHandle().destroy(); // SIGTERM
      assertTrue(pinger.waitFor(20, TimeUnit.SECONDS), "the pinger stops on SIGTERM");
      said.lines().forEach(lines::add); // the summary, once it has ended: no wait for ever
      String all = String.join("\n", lines);
      assertEquals(0, pinger.exitValue(), all);

      long replies = lines.stream().filter(line -> line.startsWith("Reply from ")).count();
      assertTrue(lines.contains("--- 127.0.0.1:" + server.udpPort() + " ping statistics ---"), all);
      Matcher counts =
          Pattern.compile("(\\d+) datagrams transmitted, (\\d+) received, [0-9.]+% loss")
              .matcher(all);
      assertTrue(counts.find(), all);
      long transmitted = Long.parseLong(counts.group(1));
      assertEquals(replies, Long.parseLong(counts.group(2)), all);
      // the last ping may have been out, unanswered yet, when the signal came
      assertTrue(transmitted == replies || transmitted == replies + 1, all);
      assertTrue(Pattern.compile("rtt min/avg/max/mdev = [0-9.]+/").matcher(all).find(), all);
      assertTrue(lines.get(lines.size() - 1).startsWith("rtt "), all); // nothing after it
      assertFalse(all.contains("Exception"), all);
    } finally {
      pinger.destroyForcibly();
    }
  }

  /** Stopped before any reply came, the pinger says so and exits with 1, as ping does. */
  @Test
  void thePingerStoppedByASignalBeforeAnyReplyExitsWithOne() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      silent.setSoTimeout(30_000);
      Process pinger =
          clientProcess(ping(silent.getLocalPort(), "--count", "5", "--timeout", "60"));
      try {
        silent.receive(new DatagramPacket(new byte[100], 100)); // the first ping is out
        pinger.toHandle().destroy(); // SIGTERM
        assertTrue(pinger.waitFor(20, TimeUnit.SECONDS), "the pinger stops on SIGTERM");
        String said = new String(pinger.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, pinger.exitValue(), said);
        assertTrue(said.contains("\n1 datagrams transmitted, 0 received, 100.0% loss\n"), said);
        assertFalse(said.contains("rtt "), said);
      } finally {
        pinger.destroyForcibly();
      }
    }
  }

  /** The client as a user starts it: its own JVM, standard error into standard output. */
  private static Process clientProcess(String... args) throws IOException {
    return JavaMain.start(ClientCommand.class, args);
  }

  /** The pinger's command line against {@code port} on loopback, then {@code more} options. */
  private static String[] ping(int port, String... more) {
    List<String> args =
        new ArrayList<>(List.of("udp", "--host", "127.0.0.1", "--port", port(port), "--ping"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** Options that make no sense are said in one line, before anything is sent. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tcp --port 70000|client: --port must be from 1 to 65535, got 70000",
        "udp --port 0|client: --port must be from 1 to 65535, got 0",
        "udp --local-port 99999|client: --local-port must be from 0 to 65535, got 99999",
        "tcp --local-port -1|client: --local-port must be from 0 to 65535, got -1",
        "udp --timeout 0|client: --timeout must be 0.001 seconds (1 ms) or more, got 0",
        "tcp --timeout -1|client: --timeout must be 0.001 seconds (1 ms) or more, got -1",
        "udp --timeout 0.0001|client: --timeout must be 0.001 seconds (1 ms) or more, got 0.0001",
        "tcp --timeout 0.0004|client: --timeout must be 0.001 seconds (1 ms) or more, got 0.0004",
        "udp --timeout NaN|client: --timeout must be 0.001 seconds (1 ms) or more, got NaN",
        "tcp --timeout 4294968|client: --timeout must be 86400 seconds (a day) or less, got 4294968",
        "tcp --retries -1|client: --retries must be 0 or more, got -1",
        "udp --ping --count 0|client: --count must be 1 or more, got 0",
        "udp --ping --interval -5|client: --interval must be 0 or more, got -5",
      })
  void optionsThatMakeNoSenseAreSaidInOneLine(String args, String said, Vertx vertx) {
    Run run = client(vertx, "hello\n", args.split(" "));
    assertEquals(2, run.status(), run.toString());
    assertEquals(said + "\n", run.err());
    assertEquals("", run.out());
  }

  @Test
  void versionIsCapslocksOnEachCommand(Vertx vertx) {
    for (String[] args :
        List.of(
            new String[] {"--version"},
            new String[] {"tcp", "--version"},
            new String[] {"udp", "-V"})) {
      Run run = client(vertx, "", args);
      assertEquals(0, run.status(), run.toString());
      assertTrue(run.out().startsWith("capslock "), run.toString());
    }
  }

  /** The help of each command names its options in the order they are written, and -h and -V. */
  @Test
  void eachCommandHasItsHelp(Vertx vertx) {
    Run run = client(vertx, "", "tcp", "-h");
    assertEquals(0, run.status(), run.toString());
    assertTrue(run.out().contains("-h, --help"), run.out());
    assertTrue(run.out().contains("-V, --version"), run.out());
    // in the list below the synopsis, --timeout as written before --port; sorted, it comes last
    assertTrue(
        run.out().lastIndexOf("--timeout") < run.out().lastIndexOf("--port"), "as written: " + run);
  }

  @Test
  void everyOptionIsExplainedInTheHelp(Vertx vertx) {
    Run run = client(vertx, "", "udp", "--help");
    assertEquals(0, run.status());
    for (String option :
        List.of(
            "--host", "--port", "--timeout", "--local-port", "--ping", "--count", "--interval")) {
      assertTrue(run.out().contains(option), option + " in\n" + run.out());
    }
  }

  private record Run(int status, String out, String err) {}

  private static Run client(Vertx vertx, String input, String... args) {
    return run(vertx, input, false, args);
  }

  private static Run run(Vertx vertx, String input, boolean interactive, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    InputStream in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
    int status =
        new ClientCommand(
                vertx,
                in,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                interactive)
            .execute(args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Thread started(Runnable peer) {
    Thread thread = new Thread(peer, "lesson-peer");
    thread.start();
    return thread;
  }

  private static String port(int port) {
    return String.valueOf(port);
  }

  /** The lesson's TCP server: accept, recv(1024), send the upper case, close. */
  private static void serveOnce(ServerSocket server) {
    try (Socket connection = server.accept()) {
      byte[] buffer = new byte[1024];
      int n = connection.getInputStream().read(buffer);
      String sentence = new String(buffer, 0, n, StandardCharsets.UTF_8);
      connection
          .getOutputStream()
          .write(sentence.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  /** The lesson's UDP server: recvfrom(1024), sendto the upper case, {@code count} times. */
  private static void answerDatagrams(DatagramSocket server, int count) {
    try {
      for (int i = 0; i < count; i++) {
        DatagramPacket request = new DatagramPacket(new byte[1024], 1024);
        server.receive(request);
        byte[] reply =
            new String(request.getData(), 0, request.getLength(), StandardCharsets.UTF_8)
                .toUpperCase(Locale.ROOT)
                .getBytes(StandardCharsets.UTF_8);
        server.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  /** Answers the first line, then resets the connection (SO_LINGER 0) when the second comes. */
  private static void answerThenReset(ServerSocket server) {
    try (Socket connection = server.accept()) {
      InputStream in = connection.getInputStream();
      OutputStream out = connection.getOutputStream();
      byte[] buffer = new byte[1024];
      int n = in.read(buffer);
      out.write(
          new String(Arrays.copyOf(buffer, n), StandardCharsets.UTF_8)
              .toUpperCase(Locale.ROOT)
              .getBytes(StandardCharsets.UTF_8));
      in.read(buffer);
      connection.setSoLinger(true, 0);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
