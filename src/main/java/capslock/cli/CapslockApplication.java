package capslock.cli;

import capslock.cluster.HazelcastCluster;
import capslock.config.ConfigException;
import capslock.config.ConfigLoader;
import capslock.config.Settings;
import capslock.server.MainVerticle;
import capslock.server.Transports;
import capslock.worker.Uppercase;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: the Vert.x launcher ({@code -conf}, {@code -instances}, {@code -cluster}, ...)
 * with hooks that make it speak to a person. A configuration or start-up problem is one line and
 * exit status 1, never a stack trace; a launcher option it cannot use, one line and exit status 2;
 * Ctrl+C or SIGTERM stops gracefully with status 0.
 */
public final class CapslockApplication extends VertxApplication implements VertxApplicationHooks {

  /** The configuration file read when {@code -conf} is not given. */
  static final String DEFAULT_CONFIG = "conf/config.json";

  /** How long a stop asked during the deploy waits for it to end (it takes well under a second). */
  private static final Duration DEPLOY_WAIT = Duration.ofSeconds(10);

  /** The launcher's option for the configuration file, both spellings. */
  private static final List<String> CLUSTER = List.of("-cluster", "--cluster", "-c");

  private static final Logger log = LoggerFactory.getLogger(CapslockApplication.class);

  private final String confOption;
  private final boolean clustered;
  private JsonObject fileConfig;
  private VertxBuilder builder;
  private ClusterManager clusterManager; // with -cluster
  private volatile Phase phase = Phase.STARTING_VERTX;
  private final CountDownLatch deployEnded = new CountDownLatch(1); // RUNNING or FAILED
  private volatile boolean stopAsked; // Ctrl+C or SIGTERM came
  private volatile boolean exiting; // the stop goes on to close Vert.x, whatever it is doing

  /** Where the start is: what a Ctrl+C does depends on it. */
  private enum Phase {
    STARTING_VERTX,
    DEPLOYING, // capslock's verticles
    RUNNING,
    FAILED // the deploy failed: the launcher says why and exits with status 1
  }

  public CapslockApplication(String[] args) {
    super(withoutConf(args)); // capslock reads -conf itself: the launcher's own reading only warns
    this.confOption = confOption(args);
    this.clustered = LauncherOptions.given(args, CLUSTER);
  }

  /**
   * capslock's settings of Netty, each unless the command line has set it (its -D wins): they must
   * be set before Netty loads, so an application that embeds {@code MainVerticle} calls this before
   * it starts Vert.x.
   */
  public static void setNettyDefaults() {
    // Netty's pooled allocator measured 1.3 x faster than 4.2's default (adaptive) one on
    // capslock's small, short-lived buffers (docs/PERFORMANCE.md)
    defaultProperty("io.netty.allocator.type", "pooled");
    // Netty's buffer events for Java Flight Recorder: registering them took the first reply about
    // 7 ms (docs/PERFORMANCE.md, "The first reply")
    defaultProperty("io.netty.jfr.enabled", "false");
    // One accept at a time on io_uring: its multi-shot accept takes every connection waiting, a
    // file each, however far behind the event loops are, so a flood of clients ran the process out
    // of files past tcp.limits.maxConnections, and then it logged each failed accept, thousands a
    // second.
    defaultProperty("io.netty.iouring.acceptMultiShotEnabled", "false");
    // io_uring's iovec array, which an event loop's channels share for their writes, sized to
    // IOV_MAX (Linux's 1024): Netty 4.2.18 makes it ten times that but fills it to IOV_MAX only,
    // and past that each channel's write was one of no bytes, done at once and scheduled again, so
    // 2,000 clients that never read kept an event loop busy for seconds after they stopped. So, the
    // array goes to the kernel when full (docs/PERFORMANCE.md, "Writes of nothing"). Written out:
    // Netty's Limits.IOV_MAX would load its native library before the property is read.
    defaultProperty("io.netty.iouring.numElementsIoVec", "1024");
    // The pool gives most of its memory back after a flood. A chunk stays while any buffer is in
    // it, a cached one too: after 5,000 clients that never read, 4 MiB chunks kept 77-89 MB of the
    // 128 MB of direct memory at rest; chunks of 512 KiB, and the event loops' caches trimmed each
    // second, keep 30-43 MB, and 5-17 MB once clients come again (docs/PERFORMANCE.md, "After a
    // flood"). Buffers larger than a chunk are made apart; capslock's largest, a 64 KiB datagram,
    // is far from it.
    defaultProperty("io.netty.allocator.maxOrder", "6");
    defaultProperty("io.netty.allocator.cacheTrimIntervalMillis", "1000");
  }

  public static void main(String[] args) {
    setNettyDefaults();
    // Hazelcast (in a cluster) logs through logback like the rest, before it reads its config
    defaultProperty("hazelcast.logging.type", "slf4j");
    String unusable = LauncherOptions.problem(args);
    if (unusable != null) { // a usage error, said and with the status of the launcher's own
      log.error("capslock cannot start: {}", unusable);
      System.exit(2);
    }
    CapslockApplication application = new CapslockApplication(args);
    // Ctrl+C is a stop asked for, also while capslock starts: the launcher closes Vert.x gracefully
    CleanExit.onStopSignals(application::stopAsked);
    application.launch();
  }

  /** Sets a system property unless the command line has (its -D wins). */
  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Always capslock's own verticle, from the jar or from a build directory alike (no manifest
   * needed).
   */
  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return MainVerticle::new;
  }

  /**
   * The configuration file ({@code -conf}, else conf/config.json when there is one), read here
   * rather than by the launcher, which only warns when it cannot and then runs with an empty
   * configuration: a file that cannot be used stops the start with the reason.
   */
  @Override
  public JsonObject afterConfigParsed(JsonObject none) {
    fileConfig = readConfigFile();
    return fileConfig;
  }

  private JsonObject readConfigFile() {
    if (confOption == null && !Files.exists(Path.of(DEFAULT_CONFIG))) {
      log.info("No -conf given and no {} here: running with the built-in defaults", DEFAULT_CONFIG);
      return new JsonObject();
    }
    try {
      return ConfigLoader.readFile(Path.of(confOption != null ? confOption : DEFAULT_CONFIG));
    } catch (ConfigException e) {
      throw stop(e.getMessage());
    }
  }

  /**
   * io_uring, Linux's native I/O, unless {@code -options} says otherwise; Vert.x falls back to Java
   * NIO where the kernel refuses it (many containers do), and {@link #afterVertxStarted} says
   * which. And a worker pool the size of the machine.
   */
  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject vertxOptions) {
    JsonObject options = vertxOptions != null ? vertxOptions : new JsonObject();
    if (!options.containsKey("preferNativeTransport")) {
      options.put("preferNativeTransport", true);
    }
    if (!options.containsKey("workerPoolSize")) {
      // as many worker threads as cores, not Vert.x's 20: each piece is handed to the thread that
      // has waited longest, and with 20 that is a cold one (docs/PERFORMANCE.md, "Ping-pong")
      options.put("workerPoolSize", Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
    return options;
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    phase = Phase.DEPLOYING;
    log.info("Network transport: {}", Transports.describe(context.vertx()));
    if (clusterManager
        != null) { // requests out to a node that left will not be answered: send them again
      Vertx vertx = context.vertx();
      HazelcastCluster.whenANodeLeaves(
          clusterManager,
          node ->
              vertx
                  .eventBus()
                  .publish(Uppercase.WORKERS_LEFT, node, new DeliveryOptions().setLocalOnly(true)));
    }
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    builder = Vertx.builder().with(options);
    return builder;
  }

  /**
   * With {@code -cluster}, gives the builder its cluster manager, made from {@code cluster.members}
   * and the launcher's {@code -cluster-host}: a node needs its settings before it joins.
   */
  @Override
  public void beforeStartingVertx(HookContext context) {
    enableMetrics(context.vertxOptions());
    if (!clustered) {
      return;
    }
    Settings settings;
    try {
      settings = ConfigLoader.loadBeforeVertx(fileConfig);
    } catch (ConfigException e) {
      throw stop(e.getMessage());
    }
    String host = context.vertxOptions().getEventBusOptions().getHost();
    clusterManager = HazelcastCluster.manager(settings.cluster(), host);
    builder.withClusterManager(clusterManager);
    log.info(
        "Joining the {} cluster as role {}, looking for members at {}",
        settings.cluster().name(),
        settings.role().name().toLowerCase(Locale.ROOT),
        String.join(", ", settings.cluster().members()));
  }

  /**
   * Vert.x's own metrics (worker pools, HTTP, the JVM) in the Prometheus registry that {@code
   * /metrics} serves next to capslock's. The endpoints and the way to the workers count themselves,
   * more cheaply, so Vert.x's per-socket and event-bus metrics stay off: the latter look meters up
   * by address for every message, which cost a ping-pong request about 40 µs of the event loop's
   * time (docs/PERFORMANCE.md).
   */
  private static void enableMetrics(VertxOptions options) {
    // on top of whatever -options or -Dvertx.metrics.options.* set (the launcher makes them
    // Micrometer's)
    MicrometerMetricsOptions metrics =
        options.getMetricsOptions() instanceof MicrometerMetricsOptions given
            ? given
            : new MicrometerMetricsOptions();
    options.setMetricsOptions(
        metrics
            .setEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
            .setJvmMetricsEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS));
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable failure) {
    // a stop asked before Vert.x was up: the exit has begun, and Vert.x, which registers what it
    // does at exit as it starts, fails with "Shutdown in progress" (seen when the exit was slow)
    if (exiting) {
      log.debug("Start cut short by the stop", failure);
      throw new StartAborted();
    }
    throw stop(describe(failure));
  }

  /**
   * On the signal's thread, before the exit closes Vert.x. A stop asked while capslock's verticles
   * deploy (a fraction of a second) waits for the deploy to end: Vert.x closed in the middle of one
   * logs "Promise already completed" with a stack trace, as the verticles' starts complete what the
   * close has failed. So does a second Ctrl+C (people press it twice): it would otherwise close
   * Vert.x in the middle of the deploy that the first one waits for.
   *
   * @return whether to exit now: not when the deploy failed on its own meanwhile, which the
   *     launcher then says and exits from with status 1
   */
  private boolean stopAsked() {
    boolean again = stopAsked;
    stopAsked = true;
    if (phase == Phase.DEPLOYING) {
      log.info(
          again
              ? "Still stopping as soon as the start is complete"
              : "Stopping as soon as the start is complete");
      awaitDeployEnd();
    } else if (phase == Phase.STARTING_VERTX && !again) {
      log.info("Stopping before the start is complete");
    }
    if (phase == Phase.FAILED) {
      return false;
    }
    exiting = true;
    return true;
  }

  private void awaitDeployEnd() {
    try {
      deployEnded.await(DEPLOY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable failure) {
    boolean undoneByTheStop = exiting; // read before a stop waiting for the deploy goes on
    phase = Phase.FAILED;
    deployEnded.countDown();
    if (undoneByTheStop) { // said already
      throw new StartAborted();
    }
    context.vertx().close();
    throw stop(describe(failure));
  }

  @Override
  public void afterVerticleDeployed(HookContext context) {
    phase = Phase.RUNNING;
    deployEnded.countDown();
    if (!stopAsked) {
      log.info("capslock {} is running; stop it with Ctrl+C", MainVerticle.version());
    }
  }

  @Override
  public void beforeStoppingVertx(HookContext context) {
    if (phase == Phase.RUNNING) {
      log.info("Stopping: taking no new work, finishing the work in hand");
    }
  }

  @Override
  public void afterVertxStopped(HookContext context) {
    if (phase == Phase.RUNNING) {
      log.info("capslock stopped");
    }
  }

  /**
   * Says why the start failed, in one line, and gives the exception that ends the launch: thrown
   * from a hook, it makes the launcher exit with status 1 without logging a stack trace.
   */
  private static RuntimeException stop(String reason) {
    log.error("capslock cannot start: {}", reason);
    return new StartAborted();
  }

  private static String describe(Throwable failure) {
    if (failure == null) {
      return "timed out";
    }
    log.debug("Start-up failure in detail", failure);
    return failure instanceof ConfigException ? failure.getMessage() : failure.toString();
  }

  /** {@code args} less the {@code -conf} option and its value. */
  private static String[] withoutConf(String[] args) {
    return LauncherOptions.without(args, LauncherOptions.CONF);
  }

  /** The value of the {@code -conf} option in {@code args} (either spelling, any case), or null. */
  private static String confOption(String[] args) {
    return LauncherOptions.value(args, LauncherOptions.CONF);
  }

  /** Ends a launch whose reason has already been logged. */
  private static final class StartAborted extends RuntimeException {
    StartAborted() {
      super(null, null, false, false);
    }
  }
}
