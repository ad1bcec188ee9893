package capslock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as a user meets it: a real capslock process, its output and its exit status. */
@ExtendWith(VertxExtension.class)
class CapslockApplicationTest {

  private static final String LOOPBACK = "\"host\": \"127.0.0.1\", \"port\": 0";
  private static final String SAFE_PORTS =
      "{\"tcp\": {" + LOOPBACK + "}, \"udp\": {" + LOOPBACK + "}}";

  @TempDir Path dir;

  private Process process;
  private String logging = "conf/logback.xml";
  private NetClient client; // held: Vert.x closes an unreachable client's connections

  /** Netty's settings that the start makes (before Netty loads), each unless a -D has. */
  @Test
  void setsNettysDefaultsUnlessTheCommandLineHas() {
    String iovecs = "io.netty.iouring.numElementsIoVec";
    String multiShotAccept = "io.netty.iouring.acceptMultiShotEnabled";
    Properties before = (Properties) System.getProperties().clone();
    try {
      System.clearProperty(iovecs);
      System.clearProperty(multiShotAccept);
      System.setProperty("io.netty.allocator.type", "adaptive"); // as a -D would
      CapslockApplication.setNettyDefaults();
      assertEquals("1024", System.getProperty(iovecs), "io_uring's iovec array, IOV_MAX entries");
      assertEquals("false", System.getProperty(multiShotAccept), "one accept at a time");
      assertEquals("adaptive", System.getProperty("io.netty.allocator.type"), "the -D wins");
    } finally {
      System.setProperties(before);
    }
  }

  @AfterEach
  void stopProcess() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void aPortOutOfRangeStopsTheStartWithOneLineNamingTheKey() throws Exception {
    assertFailsWith("{\"tcp\": {\"port\": 70000}}", "tcp.port must be from 0 to 65535, got 70000");
  }

  @Test
  void aPortThatIsNotANumberStopsTheStartWithOneLineNamingTheKey() throws Exception {
    assertFailsWith(
        "{\"udp\": {\"port\": \"eleven\"}}", "udp.port must be a whole number, got \"eleven\"");
  }

  @Test
  void anUnknownKeyStopsTheStartWithOneLineNamingIt() throws Exception {
    assertFailsWith("{\"tcp\": {\"prot\": 2000}}", "unknown configuration key tcp.prot");
  }

  @Test
  void aFileThatIsNotJsonStopsTheStartWithOneLineNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("broken.json"), "{\"tcp\": {\"port\": 2000");
    Output output = run("-conf", file.toString());
    assertOneClearLine(output, "configuration file " + file + " is not a JSON object");
  }

  @Test
  void aMissingFileStopsTheStartWithOneLineNamingIt() throws Exception {
    Path file = dir.resolve("nowhere.json");
    Output output = run("-conf", file.toString());
    assertOneClearLine(output, "configuration file " + file + " not found");
  }

  @Test
  void aPortInUseStopsTheStartWithOneLineNamingIt(Vertx vertx) throws Exception {
    int port = portInUse(vertx);
    assertFailsWith(onTcpPort(port), "TCP port " + port + " is already in use");
  }

  /**
   * Ctrl+C while a start fails on its own (its port is taken): the stop waits for the deploy, and
   * the start's failure is what is said and what the exit status says, every time (the signal's
   * exit with status 0 raced the launcher's with 1).
   */
  @Test
  void aStartThatFailsWhileAStopWaitsForItSaysWhyAndExitsWithOne(Vertx vertx) throws Exception {
    int port = portInUse(vertx);
    process = start(Map.of(), "-conf", config(onTcpPort(port)).toString());
    BufferedReader log =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    awaitLine(log, lines, "uppercase worker(s) serving"); // the endpoints, and their port, next
    process.toHandle().destroy(); // SIGTERM
    log.lines().forEach(lines::add);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "capslock exits");

    assertTrue(
        lines.stream().anyMatch(said -> said.contains("Stopping as soon as the start is complete")),
        String.join("\n", lines));
    assertOneClearLine(
        new Output(process.exitValue(), lines), "TCP port " + port + " is already in use");
    assertEquals(1, process.exitValue());
  }

  /**
   * A launcher option that cannot be used is one line and exit status 2, as the launcher's own
   * usage errors, before Vert.x starts: -instances 0 exited with 1 and said nothing, and -options
   * or -deployment-options that the launcher could not read were ignored (its warning is muted).
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-instances 0|-instances must be 1 or more, got 0",
        "--INSTANCES=-1|-instances must be 1 or more, got -1",
        "-options {bad|-options is neither a JSON object nor a file holding one: {bad",
        "-options {\"eventLoopPoolSize\":0}|-options: eventLoopPoolSize must be > 0",
        "-deployment-options {bad"
            + "|-deployment-options is neither a JSON object nor a file holding one: {bad",
        "-deployment-options {\"instances\":0}"
            + "|-deployment-options: instances must be 1 or more, got 0",
      })
  void aLauncherOptionThatCannotBeUsedIsOneLineAndExitStatus2(String args, String message)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("-conf", config(SAFE_PORTS).toString()));
    command.addAll(List.of(args.split(" ")));
    assertUsageError(run(command.toArray(String[]::new)), message);
  }

  @Test
  void anOptionsFileThatIsNotJsonIsOneLineAndExitStatus2() throws Exception {
    Path file = Files.writeString(dir.resolve("options.json"), "{\"eventLoopPoolSize\": ");
    assertUsageError(
        run("-conf", config(SAFE_PORTS).toString(), "-options", file.toString()),
        "-options file " + file + " is not a JSON object");
  }

  /** One clear line, exit status 2, and nothing started. */
  private static void assertUsageError(Output output, String message) {
    String all = String.join("\n", output.lines());
    assertOneClearLine(output, message);
    assertEquals(2, output.status(), all);
    assertTrue(output.lines().stream().noneMatch(line -> line.contains("transport")), all);
  }

  @Test
  void anEnvironmentVariableIsValidatedLikeTheFile() throws Exception {
    Output output =
        run(
            Map.of("CAPSLOCK_TCP_IDLE_TIMEOUT_SECONDS", "soon"),
            "-conf",
            config(SAFE_PORTS).toString());
    assertOneClearLine(output, "tcp.idleTimeoutSeconds must be a whole number, got \"soon\"");
  }

  @Test
  void servesThenStopsWithStatusZeroOnSigterm(Vertx vertx) throws Exception {
    process = start(Map.of(), "-conf", config(SAFE_PORTS).toString());
    BufferedReader log =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    int port = tcpPort(log, lines);

    client = vertx.createNetClient();
    Buffer reply = Buffer.buffer();
    var answered = new java.util.concurrent.CompletableFuture<String>();
    client
        .connect(port, "127.0.0.1")
        // handlers and write on the socket's event loop
        .compose(
            socket -> {
              socket.handler(
                  bytes -> {
                    reply.appendBuffer(bytes);
                    if (reply.length() >= 7) {
                      answered.complete(reply.toString());
                    }
                  });
              return socket.write("straße");
            })
        .await();
    assertEquals("STRASSE", answered.get(10, TimeUnit.SECONDS));

    process.toHandle().destroy(); // SIGTERM, keeping the output open to read the last lines
    log.lines().forEach(lines::add);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "capslock stops on SIGTERM");
    assertEquals(0, process.exitValue(), String.join("\n", lines));
    assertTrue(
        lines.stream().anyMatch(line -> line.contains("capslock stopped")),
        String.join("\n", lines));
  }

  /**
   * Ctrl+C in the first seconds, while the start's warm-up sends its lines: the workers outlive the
   * endpoints, so nothing in hand is dropped, waited for or warned about; and no stack trace, also
   * not Netty's for a warm-up connection accepted as Vert.x's TCP server stops (in about one such
   * stop in three: Vert.x takes the server's event loops off before it closes its port, and
   * conf/logback.xml mutes that warning).
   */
  @Test
  void stopsDuringItsWarmUpWithoutDroppingWhatItHolds() throws Exception {
    assertStopsCleanlyOnSigtermAfter("is running; stop it with Ctrl+C");
  }

  /**
   * Ctrl+C while it starts (Vert.x is up, capslock's verticles are being deployed): the stop waits
   * for the deploy to end (Vert.x closed in the middle of one logged "Promise already completed"
   * with a stack trace, every time).
   */
  @Test
  void stopsDuringItsStartWithoutAFailure() throws Exception {
    assertStopsCleanlyOnSigtermAfter("uppercase worker(s) serving");
  }

  /**
   * Ctrl+C pressed twice while it starts: the second waits for the deploy too (closing Vert.x at
   * once, it logged "Promise already completed" with a stack trace).
   */
  @Test
  void stopsDuringItsStartWithoutAFailureWhenAskedTwice() throws Exception {
    List<String> lines =
        assertStopsCleanlyOnSigtermAfter(
            "uppercase worker(s) serving", "Stopping as soon as the start is complete");
    assertTrue( // the second came during the deploy, as asked
        lines.stream().anyMatch(line -> line.contains("Still stopping as soon as")),
        String.join("\n", lines));
  }

  /** Sends a SIGTERM as each of {@code logged} is logged, in turn; gives all it logged. */
  private List<String> assertStopsCleanlyOnSigtermAfter(String... logged) throws Exception {
    process = start(Map.of(), "-conf", config(SAFE_PORTS).toString());
    BufferedReader log =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    for (String awaited : logged) {
      awaitLine(log, lines, awaited);
      process.toHandle().destroy(); // SIGTERM
    }
    log.lines().forEach(lines::add);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "capslock stops on SIGTERM");
    String all = String.join("\n", lines);
    assertEquals(0, process.exitValue(), all);
    assertTrue(lines.stream().anyMatch(line -> line.contains("Stopping")), all);
    // not a failed start; and none of what a worker gone before the endpoints caused: a piece
    // dropped, its time-out, a local fallback
    assertTrue(
        lines.stream()
            .noneMatch(
                line ->
                    line.contains("cannot start")
                        || line.contains("Discarding message")
                        || line.contains("No uppercase worker answered")
                        || line.contains("falling behind")),
        all);
    assertTrue(lines.stream().noneMatch(line -> line.startsWith("\tat ")), all); // no stack trace
    return lines;
  }

  @Test
  void logsOneJsonObjectALineWithTheJsonLoggingConfiguration() throws Exception {
    logging = "conf/logback-json.xml";
    Output output = run("-conf", config("{\"tcp\": {\"port\": 70000}}").toString());
    assertNotEquals(0, output.status());
    assertFalse(output.lines().isEmpty());
    for (String line : output.lines()) {
      JsonObject entry = new JsonObject(line); // fails the test if a line is not one JSON object
      if (entry.getString("level").equals("ERROR")) {
        assertEquals(
            "capslock cannot start: tcp.port must be from 0 to 65535, got 70000",
            entry.getString("formattedMessage"));
      }
    }
    assertEquals(
        1, output.lines().stream().filter(line -> line.contains("\"level\":\"ERROR\"")).count());
  }

  private void assertFailsWith(String json, String message) throws Exception {
    assertOneClearLine(run("-conf", config(json).toString()), message);
  }

  /** Exit status not 0, exactly one error line that says {@code message}, and no stack trace. */
  private static void assertOneClearLine(Output output, String message) {
    String all = String.join("\n", output.lines());
    assertNotEquals(0, output.status(), all);
    List<String> errors = output.lines().stream().filter(line -> line.contains("ERROR")).toList();
    assertEquals(1, errors.size(), all);
    assertTrue(errors.get(0).contains("capslock cannot start: " + message), all);
    assertFalse(
        output.lines().stream()
            .anyMatch(line -> line.startsWith("\tat ") || line.contains("Exception")),
        all);
  }

  private Path config(String json) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "config", ".json"), json);
  }

  private record Output(int status, List<String> lines) {}

  private Output run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  /**
   * Runs capslock until it ends by itself: one still running after 30 s is stopped, and the test
   * fails with what it said (reading its output to the end first would wait for it forever).
   */
  private Output run(Map<String, String> env, String... args) throws Exception {
    process = start(env, args);
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    BufferedReader said =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Thread reader =
        new Thread(
            () -> {
              try {
                said.lines().forEach(lines::add);
              } catch (UncheckedIOException closed) { // by the forced stop: what came is kept
              }
            },
            "capslock-output");
    reader.start();
    boolean ended = process.waitFor(30, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    reader.join(10_000);
    assertTrue(ended, "capslock still ran after 30 s:\n" + String.join("\n", lines));
    return new Output(process.exitValue(), List.copyOf(lines));
  }

  /** capslock from the build's classes, logging as the shipped conf/logback.xml says. */
  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + logging,
                "-cp",
                System.getProperty("java.class.path"),
                CapslockApplication.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("CAPSLOCK_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Reads {@code log} into {@code lines} up to the line that says {@code awaited}. */
  private static void awaitLine(BufferedReader log, List<String> lines, String awaited)
      throws IOException {
    for (String line = log.readLine(); line != null; line = log.readLine()) {
      lines.add(line);
      if (line.contains(awaited)) {
        return;
      }
    }
    throw new AssertionError("not logged: " + awaited + "\n" + String.join("\n", lines));
  }

  /** A TCP port on 127.0.0.1 that another server holds, for as long as the test runs. */
  private static int portInUse(Vertx vertx) {
    NetServer holder =
        vertx.createNetServer().connectHandler(NetSocket::close).listen(0, "127.0.0.1").await();
    return holder.actualPort();
  }

  private static String onTcpPort(int port) {
    return "{\"tcp\": {\"host\": \"127.0.0.1\", \"port\": "
        + port
        + "}, \"udp\": {"
        + LOOPBACK
        + "}}";
  }

  private static int tcpPort(BufferedReader log, List<String> lines) throws IOException {
    Pattern listening = Pattern.compile("TCP listening on 127\\.0\\.0\\.1:(\\d+)");
    for (String line = log.readLine(); line != null; line = log.readLine()) {
      lines.add(line);
      Matcher matcher = listening.matcher(line);
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
    }
    throw new AssertionError(
        "capslock never said which port it bound:\n" + String.join("\n", lines));
  }
}
