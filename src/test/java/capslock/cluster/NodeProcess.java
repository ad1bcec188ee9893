package capslock.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One capslock process started from the fat jar, whose log lines can be awaited. */
public final class NodeProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();

  private NodeProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(this::readLog, name + "-log");
    reader.setDaemon(true);
    reader.start();
  }

  /** The JVM options ./run.sh starts the service with (conf/jvm.options, less its comments). */
  public static List<String> runShJvmOptions() throws IOException {
    return Files.readAllLines(Path.of("conf", "jvm.options")).stream()
        .map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  /** The most memory the process has had resident so far (Linux's VmHWM), in megabytes. */
  public long peakRssMegabytes() throws IOException {
    return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
        .filter(line -> line.startsWith("VmHWM:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024)
        .findFirst()
        .orElseThrow();
  }

  /** {@code java -jar capslock-fat.jar -conf config -cluster}, as the README starts a node. */
  static NodeProcess start(String name, Path jar, Path config) throws IOException {
    return start(name, jar, List.of(), List.of("-conf", config.toString(), "-cluster"));
  }

  /**
   * {@code java [jvmOptions] -jar capslock-fat.jar [arguments]}, without the CAPSLOCK_* variables
   * of this process.
   */
  public static NodeProcess start(
      String name, Path jar, List<String> jvmOptions, List<String> arguments) throws IOException {
    return start(name, List.of(), jar, jvmOptions, arguments);
  }

  /** The same, allowed to open at most {@code maxFiles} files ({@code ulimit -n}). */
  public static NodeProcess startWithOpenFiles(
      String name, int maxFiles, Path jar, List<String> jvmOptions, List<String> arguments)
      throws IOException {
    return start(
        name,
        List.of("bash", "-c", "ulimit -n " + maxFiles + " && exec \"$@\"", "capslock"),
        jar,
        jvmOptions,
        arguments);
  }

  private static NodeProcess start(
      String name, List<String> prefix, Path jar, List<String> jvmOptions, List<String> arguments)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(variable -> variable.startsWith("CAPSLOCK_"));
    return new NodeProcess(name, builder.start());
  }

  private void readLog() {
    try (BufferedReader log =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = log.readLine(); line != null; line = log.readLine()) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException closed) {
      // the process is gone: its lines so far are all there is
    }
  }

  /**
   * The port the node says it bound for {@code protocol} ({@code TCP}, {@code UDP} or {@code
   * HTTP}), waiting for its line up to {@code timeout}.
   */
  public int boundPort(String protocol, Duration timeout) throws InterruptedException {
    return Integer.parseInt(
        awaitLine(Pattern.compile(protocol + " listening on \\S+:(\\d+)"), timeout).group(1));
  }

  /** The first match of {@code pattern} in the log, waiting for it up to {@code timeout}. */
  public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (String line : lines) {
          Matcher matcher = pattern.matcher(line);
          if (matcher.find()) {
            return matcher;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              name + " never logged /" + pattern + "/ in " + timeout + ":\n" + log());
        }
        TimeUnit.NANOSECONDS.timedWait(lines, left);
      }
    }
  }

  public long countLines(Predicate<String> which) {
    synchronized (lines) {
      return lines.stream().filter(which).count();
    }
  }

  public String log() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** SIGKILL: the node vanishes without a word to the cluster. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, then its exit status. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not stop within 30 s of SIGTERM:\n" + log());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
