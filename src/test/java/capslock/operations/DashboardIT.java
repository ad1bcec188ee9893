package capslock.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import capslock.cluster.NodeProcess;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard and the bench report in a real browser (Debian's headless Chromium, driven by
 * Selenium), against the fat jar as users run it. The node runs the endpoints without uppercase
 * workers ({@code role=endpoints}, not clustered): it still answers, upper-casing locally, but its
 * {@code workers} health check is DOWN, which the page must show. Runs after {@code package}.
 */
class DashboardIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SCRIPT = "<script>alert(1)</script>";
  private static final int WIDTH = 1500;

  @TempDir Path dir;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void theDashboardShowsTheTrafficAFailingCheckAndEscapedTextAndTheBenchReportItsCharts()
      throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "No Chromium here, so the browser test is skipped: apt-get install chromium chromium-driver");
    Path jar = Path.of(System.getProperty("capslock.jar", "target/capslock-fat.jar"));
    assertTrue(Files.isRegularFile(jar), "the fat jar is built first: " + jar);
    Path target = jar.toAbsolutePath().getParent();
    Path config = Files.writeString(dir.resolve("config.json"), "{}");

    try (NodeProcess node =
        NodeProcess.start(
            "dashboard",
            jar,
            List.of(
                "-Drole=endpoints",
                "-Dhttp.showTraffic=true",
                "-Dtcp.host=127.0.0.1",
                "-Dtcp.port=0",
                "-Dudp.host=127.0.0.1",
                "-Dudp.port=0",
                "-Dhttp.host=127.0.0.1",
                "-Dhttp.port=0"),
            List.of("-conf", config.toString()))) {
      int tcpPort = node.boundPort("TCP", START);
      int udpPort = node.boundPort("UDP", START);
      int httpPort = node.boundPort("HTTP", START);
      node.awaitLine(Pattern.compile("capslock \\S+ is running"), START);

      WebDriver browser = chromium();
      try {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        // the page redraws its parts as snapshots come
        wait.ignoring(StaleElementReferenceException.class);
        browser.get("http://127.0.0.1:" + httpPort + "/");
        wait.until(
            ready ->
                Boolean.TRUE.equals(
                    page.executeScript(
                        "return !!window.capslockDashboard && !!document.querySelector('li[data-series=\"capslock.udp.datagrams\"]')")));
        assertEquals("0 in all", total(browser, "capslock.tcp.pieces"), "no TCP piece yet");

        // a few hundred requests, while the charts are watched
        SteadyTraffic traffic = new SteadyTraffic(tcpPort, udpPort);
        CompletableFuture<Void> sending = CompletableFuture.runAsync(traffic);
        wait.until(
            moved ->
                positive(
                        page.executeScript(
                            "return window.capslockDashboard.latest('capslock.tcp.pieces')"))
                    && positive(
                        page.executeScript(
                            "return window.capslockDashboard.latest('capslock.udp.datagrams')"))
                    && positive(
                        page.executeScript(
                            "return window.capslockDashboard.latest('capslock.tcp.bytes.in')")));
        wait.until(
            risen ->
                positive(value(browser, "capslock.tcp.pieces"))
                    && positive(value(browser, "capslock.udp.datagrams"))
                    && whole(total(browser, "capslock.tcp.pieces")) > 0
                    && whole(total(browser, "capslock.udp.datagrams")) > 0);
        traffic.stop();
        sending.get(30, TimeUnit.SECONDS);
        System.out.printf(
            "%d requests over TCP and as many over UDP answered while the page was watched%n",
            traffic.answered.get());
        wait.until(
            all ->
                whole(total(browser, "capslock.tcp.pieces")) == traffic.answered.get()
                    && whole(total(browser, "capslock.udp.datagrams")) == traffic.answered.get()
                    && whole(total(browser, "capslock.worker.local.fallbacks"))
                        == 2L * traffic.answered.get());

        // the workers check fails on this node, and the page says so at the top
        wait.until(down -> "DOWN".equals(browser.findElement(By.id("status")).getText()));
        Map<String, String> checks = checks(browser);
        assertEquals("DOWN", checks.get("workers"), checks.toString());
        assertTrue(checks.get("workers text").contains("DOWN"), checks.toString());
        assertEquals("UP", checks.get("tcp"), checks.toString());

        // what a student typed shows as text, never as markup
        assertEquals(SCRIPT.toUpperCase(Locale.ROOT), SteadyTraffic.exchange(tcpPort, SCRIPT));
        wait.until(shown -> texts(browser, "#traffic-rows td.text").contains(SCRIPT));
        assertTrue(
            texts(browser, "#traffic-rows td.text").contains(SCRIPT.toUpperCase(Locale.ROOT)));
        assertEquals(
            0L,
            page.executeScript(
                "return document.querySelectorAll('#traffic script, #traffic SCRIPT').length"),
            "no element made of a client's text");
        assertThrows(
            NoAlertPresentException.class,
            () -> browser.switchTo().alert(),
            "no script of a client's text ran");

        screenshot(browser, target.resolve("dashboard.png"));
        assertNoConsoleError(browser, "the dashboard");

        // a short bench against the same server, its report opened in the same browser
        Path report = target.resolve("bench-report.html");
        Files.deleteIfExists(report);
        bench(jar, tcpPort, report, target.resolve("bench-report.log"));
        browser.get(report.toUri().toString());
        wait.until(
            drawn ->
                positive(
                        page.executeScript(
                            "return window.benchReport && window.benchReport.throughputPoints()"))
                    && ((Number) page.executeScript("return window.benchReport.percentilePoints()"))
                            .intValue()
                        > 10);
        assertTrue(
            browser
                .findElement(By.id("summary"))
                .getText()
                .contains("OK: every reply checked and right"),
            browser.findElement(By.id("summary")).getText());
        screenshot(browser, target.resolve("bench-report.png"));
        assertNoConsoleError(browser, "the bench report");
      } finally {
        browser.quit();
      }
      assertEquals(0, node.stop(), "the node stops cleanly\n" + node.log());
    }
  }

  private WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + dir.resolve("chromium"),
        "--window-size=" + WIDTH + ",1200",
        "--lang=en-GB");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /** The big number of a series, as its chart's data-value holds it (empty when none). */
  private static String value(WebDriver browser, String series) {
    return browser
        .findElement(By.cssSelector("li[data-series=\"" + series + "\"]"))
        .getDomAttribute("data-value");
  }

  private static String total(WebDriver browser, String series) {
    return browser
        .findElement(By.cssSelector("li[data-series=\"" + series + "\"] .total"))
        .getText();
  }

  private static long whole(String shown) {
    String digits = shown.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? 0 : Long.parseLong(digits);
  }

  private static boolean positive(Object number) {
    if (number instanceof String text) {
      return !text.isEmpty() && Double.parseDouble(text) > 0;
    }
    return number instanceof Number n && n.doubleValue() > 0;
  }

  /**
   * The text of each element that {@code selector} selects, read at once (the feed's rows are
   * replaced as requests come).
   */
  @SuppressWarnings("unchecked")
  private static List<String> texts(WebDriver browser, String selector) {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(element => element.textContent)",
                selector);
  }

  /**
   * Each health check's data-status, and as "NAME text" its text, read at once (the list is drawn
   * anew at every poll of the health page, so an element found a moment ago may be gone).
   */
  @SuppressWarnings("unchecked")
  private static Map<String, String> checks(WebDriver browser) {
    return (Map<String, String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "const checks = {};"
                    + " document.querySelectorAll('#checks li').forEach(li => {"
                    + " checks[li.dataset.check] = li.dataset.status;"
                    + " checks[li.dataset.check + ' text'] = li.textContent; });"
                    + " return checks;");
  }

  /** The whole page, at its full height, as a PNG. */
  private static void screenshot(WebDriver browser, Path file) throws IOException {
    browser
        .manage()
        .window()
        .setSize(new Dimension(WIDTH, 600)); // then the page's height is its content's
    long height =
        ((Number)
                ((JavascriptExecutor) browser)
                    .executeScript("return Math.ceil(document.documentElement.scrollHeight)"))
            .longValue();
    browser.manage().window().setSize(new Dimension(WIDTH, (int) Math.min(height + 140, 6000)));
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("Screenshot: " + file);
  }

  private static void assertNoConsoleError(WebDriver browser, String what) {
    List<LogEntry> entries = browser.manage().logs().get(LogType.BROWSER).getAll();
    entries.forEach(entry -> System.out.println("Console of " + what + ": " + entry));
    List<LogEntry> severe =
        entries.stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertTrue(
        severe.isEmpty(),
        "errors in the console of "
            + what
            + ":\n"
            + severe.stream().map(LogEntry::toString).collect(Collectors.joining("\n")));
  }

  /**
   * {@code capslock.cli.BenchCommand tcp ... --report FILE} from the jar: a 1 s warm-up and 2 s
   * measured.
   */
  private static void bench(Path jar, int tcpPort, Path report, Path log) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                jar.toString(),
                "capslock.cli.BenchCommand",
                "tcp",
                "--port",
                String.valueOf(tcpPort),
                "--connections",
                "4",
                "--depth",
                "4",
                "--warmup",
                "1",
                "--duration",
                "2",
                "--report",
                report.toString()));
    Process bench =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(bench.waitFor(60, TimeUnit.SECONDS), "the bench ends");
    String output = Files.readString(log);
    System.out.println("The bench said:\n" + output);
    assertEquals(0, bench.exitValue(), output);
    assertTrue(Files.isRegularFile(report), output);
  }

  /**
   * A request and its reply over TCP and over UDP, one pair every 10 ms, at least {@link #MIN}
   * pairs and then until stopped (at most {@link #MAX}): the dashboard's charts have a rate to show
   * while the test looks at them.
   */
  private static final class SteadyTraffic implements Runnable {

    private static final int MIN = 150;
    private static final int MAX = 2_000;

    private final int tcpPort;
    private final int udpPort;
    private final AtomicBoolean stopped = new AtomicBoolean();
    final AtomicInteger answered = new AtomicInteger();

    SteadyTraffic(int tcpPort, int udpPort) {
      this.tcpPort = tcpPort;
      this.udpPort = udpPort;
    }

    void stop() {
      stopped.set(true);
    }

    @Override
    public void run() {
      try (Socket tcp = new Socket("127.0.0.1", tcpPort);
          DatagramSocket udp = new DatagramSocket()) {
        tcp.setSoTimeout(10_000);
        udp.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(tcp.getInputStream());
        for (int i = 0; i < MAX && (i < MIN || !stopped.get()); i++) {
          byte[] request = ("hello " + i).getBytes(StandardCharsets.UTF_8);
          byte[] expected = ("HELLO " + i).getBytes(StandardCharsets.UTF_8);
          tcp.getOutputStream().write(request); // each waits for its reply: one piece each
          byte[] reply = new byte[expected.length];
          in.readFully(reply);
          assertEquals(
              new String(expected, StandardCharsets.UTF_8),
              new String(reply, StandardCharsets.UTF_8));
          udp.send(
              new DatagramPacket(
                  request, request.length, InetAddress.getLoopbackAddress(), udpPort));
          DatagramPacket datagram = new DatagramPacket(new byte[64], 64);
          udp.receive(datagram);
          assertEquals(
              new String(expected, StandardCharsets.UTF_8),
              new String(datagram.getData(), 0, datagram.getLength(), StandardCharsets.UTF_8));
          answered.incrementAndGet();
          TimeUnit.MILLISECONDS.sleep(10); // the pace of the load, not a wait for anything
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("the steady traffic failed", e);
      }
    }

    /** One request on its own connection, and its whole reply. */
    static String exchange(int tcpPort, String text) throws IOException {
      try (Socket tcp = new Socket("127.0.0.1", tcpPort)) {
        tcp.setSoTimeout(10_000);
        tcp.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        byte[] reply = new byte[text.getBytes(StandardCharsets.UTF_8).length];
        new DataInputStream(tcp.getInputStream()).readFully(reply);
        return new String(reply, StandardCharsets.UTF_8);
      }
    }
  }
}
