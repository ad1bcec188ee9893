package capslock.cli;

import capslock.client.ClientFailure;
import capslock.client.Endpoint;
import capslock.client.LessonClient;
import capslock.client.LineExchange;
import capslock.client.TcpLineExchange;
import capslock.client.UdpLineExchange;
import capslock.client.UdpPinger;
import capslock.client.WarmUp;
import capslock.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code capslock client tcp|udp}: the lesson's clients, and the UDP pinger. */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    sortOptions = false,
    scope = ScopeType.INHERIT, // -h, -V and the option order, on tcp and udp too
    description =
        "The lesson's clients: each line you type is sent to the server; the reply and the "
            + "round-trip time are printed. End of input or Ctrl+C ends the client.",
    subcommands = {ClientCommand.Tcp.class, ClientCommand.Udp.class})
public final class ClientCommand implements Callable<Integer> {

  private final Vertx vertx; // null: the client makes a Vert.x of its own
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;
  private final Consumer<IntSupplier> onStopSignals; // sets what Ctrl+C does to the pinger

  @Spec CommandLine.Model.CommandSpec spec;

  /** A client in this process, which leaves its signals alone (tests). */
  ClientCommand(
      Vertx vertx, InputStream in, PrintStream out, PrintStream err, boolean interactive) {
    this(vertx, in, out, err, interactive, ending -> {});
  }

  private ClientCommand(
      Vertx vertx,
      InputStream in,
      PrintStream out,
      PrintStream err,
      boolean interactive,
      Consumer<IntSupplier> onStopSignals) {
    this.vertx = vertx;
    this.in = in;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
    this.onStopSignals = onStopSignals;
  }

  public static void main(String[] args) {
    CleanExit.onStopSignals(); // the lesson's clients: Ctrl+C ends them, with status 0
    System.exit(
        new ClientCommand(
                null,
                System.in,
                System.out,
                System.err,
                Commands.atTerminal(),
                CleanExit::onStopSignalsEndingWith)
            .execute(args));
  }

  int execute(String... args) {
    return Commands.execute(this, out, err, args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return 2;
  }

  /** The options both clients take; each names its own default port. */
  abstract static class ClientOptions {
    private static final double SMALLEST_TIMEOUT_SECONDS = 0.001;

    /** A day: a TCP connection's wait is counted in milliseconds that must fit an int. */
    private static final double LONGEST_TIMEOUT_SECONDS = 86_400;

    @ParentCommand ClientCommand client;

    @Option(
        names = "--host",
        defaultValue = "localhost",
        description = "server host name or address (default: ${DEFAULT-VALUE})")
    String host;

    @Option(
        names = "--timeout",
        defaultValue = "10",
        paramLabel = "SECONDS",
        description =
            "how long to wait for a reply, and with TCP for the connection, in seconds (default:"
                + " ${DEFAULT-VALUE})")
    double timeoutSeconds;

    @Option(
        names = "--local-port",
        defaultValue = "0",
        paramLabel = "PORT",
        description =
            "local port to bind first; 0 = any free one, and for UDP a new one after a reply that"
                + " never came, so that it cannot come late as the next line's"
                + " (default: ${DEFAULT-VALUE})")
    int localPort;

    abstract int port();

    Endpoint endpoint() {
      return new Endpoint(
          host, port(), localPort, Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
    }

    /** What is wrong with the options, in a line, or null when nothing is. */
    String invalid() {
      if (port() < 1 || port() > 65535) {
        return "--port must be from 1 to 65535, got " + port();
      }
      if (localPort < 0 || localPort > 65535) {
        return "--local-port must be from 0 to 65535, got " + localPort;
      }
      // at least the millisecond the timeout is counted in: less would round to no wait at all
      if (!(timeoutSeconds >= SMALLEST_TIMEOUT_SECONDS)) {
        return "--timeout must be 0.001 seconds (1 ms) or more, got " + asGiven(timeoutSeconds);
      }
      if (timeoutSeconds > LONGEST_TIMEOUT_SECONDS) {
        return "--timeout must be 86400 seconds (a day) or less, got " + asGiven(timeoutSeconds);
      }
      return null;
    }

    /** {@code seconds} as a person writes it: 0.0001, not 1.0E-4; 0, not 0.0. */
    private static String asGiven(double seconds) {
      return Double.isFinite(seconds)
          ? BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString()
          : String.valueOf(seconds);
    }

    /**
     * Runs {@code work} with a Vert.x, explaining a {@link ClientFailure} in one line (exit status
     * 1); options that make no sense are said in one line too (exit status 2), and nothing is run.
     */
    int withVertx(Function<Vertx, Integer> work) {
      String invalid = invalid();
      if (invalid != null) {
        client.err.println("client: " + invalid);
        return 2;
      }
      Vertx vertx = client.vertx != null ? client.vertx : Vertx.vertx();
      try {
        return work.apply(vertx);
      } catch (ClientFailure e) {
        client.err.println(e.getMessage());
        return 1;
      } finally {
        if (client.vertx == null) {
          vertx.close();
        }
      }
    }

    int converse(Future<? extends LineExchange> connecting) {
      try (LineExchange exchange = connecting.await()) {
        BufferedInputStream input = new BufferedInputStream(client.in);
        return new LessonClient(
                exchange, endpoint().timeout(), client.out, client.err, client.interactive)
            .run(input);
      } catch (java.io.IOException e) {
        throw new ClientFailure("Cannot read the input: " + e.getMessage());
      }
    }
  }

  @Command(
      name = "tcp",
      description = "The TCP client: sends each line with its newline, prints the reply line.")
  static final class Tcp extends ClientOptions implements Callable<Integer> {
    @Option(
        names = "--port",
        defaultValue = "" + Protocol.TCP_PORT,
        description = "server TCP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
        names = "--retries",
        defaultValue = "10",
        description =
            "how often to try again, 1 s apart, when the connection is refused (default:"
                + " ${DEFAULT-VALUE}); a connection not answered in time is not tried again")
    int retries;

    @Override
    int port() {
      return port;
    }

    @Override
    String invalid() {
      return retries < 0 ? "--retries must be 0 or more, got " + retries : super.invalid();
    }

    @Override
    public Integer call() {
      return withVertx(
          vertx -> {
            WarmUp.tcp(vertx);
            return converse(TcpLineExchange.connect(vertx, endpoint(), retries));
          });
    }
  }

  @Command(
      name = "udp",
      description =
          "The UDP client: sends each line as one datagram, prints the reply datagram; "
              + "or, with --ping, the classic UDP pinger.")
  static final class Udp extends ClientOptions implements Callable<Integer> {
    @Option(
        names = "--port",
        defaultValue = "" + Protocol.UDP_PORT,
        description = "server UDP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
        names = "--ping",
        description =
            "send pings instead of lines, then (or on Ctrl+C) print a summary like ping's")
    boolean ping;

    @Option(
        names = "--count",
        defaultValue = "10",
        description = "with --ping: how many (default: ${DEFAULT-VALUE})")
    int count;

    @Option(
        names = "--interval",
        defaultValue = "1000",
        paramLabel = "MS",
        description = "with --ping: time between pings in milliseconds (default: ${DEFAULT-VALUE})")
    int intervalMillis;

    @Override
    int port() {
      return port;
    }

    @Override
    String invalid() {
      if (count < 1) {
        return "--count must be 1 or more, got " + count;
      }
      if (intervalMillis < 0) {
        return "--interval must be 0 or more, got " + intervalMillis;
      }
      return super.invalid();
    }

    @Override
    public Integer call() {
      if (!ping) {
        return withVertx(
            vertx -> {
              WarmUp.udp(vertx);
              return converse(UdpLineExchange.open(vertx, endpoint()));
            });
      }
      return withVertx(
          vertx -> {
            UdpPinger pinger = new UdpPinger(endpoint(), client.out);
            // Ctrl+C, as ping takes it: the summary so far, and ping's exit status; also during
            // the warm-up, when nothing has been sent
            client.onStopSignals.accept(pinger::interrupted);
            WarmUp.udp(vertx);
            try (UdpLineExchange exchange = UdpLineExchange.open(vertx, endpoint()).await()) {
              return pinger.run(exchange, count, Duration.ofMillis(intervalMillis));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return 1;
            }
          });
    }
  }
}
