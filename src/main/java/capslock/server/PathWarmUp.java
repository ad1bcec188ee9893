package capslock.server;

import capslock.config.Settings;
import capslock.metrics.Traffic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What a server pays once, paid at its start: the first use of its request path. Until the JIT has
 * compiled that path, every line is answered by interpreted code, and a person's lines never come
 * often enough to get it compiled: on the team's 2-vCPU VM a server just started answered the round
 * trip of one short line in 1-2 ms, and 0.05 ms once warm (docs/PERFORMANCE.md, "The round trip a
 * person sees").
 *
 * <p>So after the start, two clients like the lesson's, blocking sockets on a worker thread each,
 * send {@code warmUp.lines} lines (within {@code warmUp.seconds}) of ASCII and real text to the
 * node's own TCP and UDP ports, from this machine (loopback when the ports are bound to every
 * address): the real endpoints answer them like anyone, with the same workers and transform, but
 * count them apart and hold them to no per-source limit ({@link WarmUpClients}), so that the
 * counters, limits, dashboard and summary stay the real clients' (the workers' own meters count
 * every piece, the warm-up's too). Through the real ports, not private ones: a first use of the
 * real endpoints' own event loop and of their own maps undid compiled code (a TCP client's first
 * line took 1.5 ms at the median after a warm-up on private ports, 0.5 ms after one through the
 * real ports: docs/PERFORMANCE.md, "A warm-up through the real ports"). Each client keeps a
 * connection and a UDP socket, and every so often opens a connection for one line, as the lesson's
 * TCP client does: what a server does once per connection (accepting it, building its pipeline, its
 * first read) is code of its own. One client pauses after each round, long enough for the threads
 * to go to sleep, so that the way a person's line wakes them is warmed too. Bounded in lines, not
 * only in time: the JIT's optimising compiler takes a method after thousands of calls
 * (docs/PERFORMANCE.md, "A warm-up by lines"). A client's failure ends that client and is only
 * reported.
 *
 * <p>It uses the time before the first client, and stands aside at the first request a real client
 * sends (a TCP line or a datagram; a connection alone does not count): a load's own lines warm what
 * they use, and the warm-up's lines, with the compilations of paths the load may never take, would
 * take CPU from it (docs/PERFORMANCE.md, "The kit, 2026-12-06, evening: the warm-up stands aside").
 * A person's first line that comes before the warm-up is done ends it, and the lines after it may
 * meet code not yet compiled.
 */
final class PathWarmUp {

  /** Clients, so that the endpoints also see requests that come together. */
  private static final int CLIENTS = 2;

  /** How long the paced client waits after each round: long enough for the threads to sleep. */
  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** Every so many rounds, a connection for one line, as the lesson's TCP client makes. */
  private static final int NEW_CONNECTION_EVERY = 10;

  private static final int TIMEOUT_MS = 2_000;

  /** A short line, a short one with a character that grows, the kit's real text, and ß. */
  private static final List<String> LINES =
      List.of(
          "hello, world",
          "ping straße",
          "Grüße aus Köln: straße, ǰ, ﬁ, ŉ, ﬀ, ΐ; Ελληνικά ωμέγα; русский текст; 안녕하세요 세계 😀 𐐨 ǅ",
          "ß".repeat(300));

  /**
   * Every so many lines, a big one: 16 KiB of ASCII, as the kit's tcp-big sends, whose reads,
   * copies and writes take paths of their own (a 64,000-byte ASCII datagram from a fresh start took
   * 1.0-1.8 ms without it, 0.3 ms with it). Only now and then: one takes as long as a hundred short
   * lines, and a person's lines are short.
   */
  private static final String BIG_LINE = "a".repeat(16 * 1024);

  private static final int BIG_LINE_EVERY = 25;

  private final long deadline;
  private final int maxLines;
  private final Traffic realTraffic; // what the real endpoints count
  // what they had counted when the warm-up began: an embedder's registry may be used again
  private final long realRequestsBefore;
  private final WarmUpClients clients;
  private final EndpointsVerticle endpoints; // which it ends with when they stop
  private final AtomicInteger lines = new AtomicInteger(); // answered so far
  private final AtomicInteger tcpConnections = new AtomicInteger(); // opened so far
  // closed when the endpoints stop: a datagram they no longer answer would hold its client (and
  // so its kept connection, which a stopping server waits for) until the receive times out
  private final Set<DatagramSocket> datagramSockets = ConcurrentHashMap.newKeySet();
  private volatile boolean stoodAside; // for a real client

  private PathWarmUp(
      Settings.WarmUp asked,
      Traffic realTraffic,
      WarmUpClients clients,
      EndpointsVerticle endpoints) {
    this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(asked.seconds());
    this.maxLines = asked.lines();
    this.realTraffic = realTraffic;
    this.realRequestsBefore = realTraffic.requestsTaken();
    this.clients = clients;
    this.endpoints = endpoints;
  }

  /**
   * Warms the path for {@code settings.warmUp()} through the real {@code endpoints}, which count
   * into {@code realTraffic}, or until they take a real client's request. Gives what was done, in a
   * sentence.
   */
  static Future<String> run(
      Vertx vertx,
      Settings settings,
      EndpointsVerticle endpoints,
      Traffic realTraffic,
      WarmUpClients clients) {
    long started = System.nanoTime();
    PathWarmUp warmUp = new PathWarmUp(settings.warmUp(), realTraffic, clients, endpoints);
    // threads of its own (a name of its own: another node in this JVM gets others), allowed to
    // run as long as the longest warm-up without being reported as blocked
    WorkerExecutor threads =
        vertx.createSharedWorkerExecutor(
            "capslock-warm-up-" + Integer.toHexString(System.identityHashCode(warmUp)),
            CLIENTS,
            2,
            TimeUnit.MINUTES);
    int tcpPort = endpoints.tcpPort();
    int udpPort = endpoints.udpPort();
    List<Future<Void>> running = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      boolean paced = i == 0;
      running.add(
          threads.executeBlocking(() -> warmUp.client(settings, tcpPort, udpPort, paced), false));
    }
    endpoints.stopping().onSuccess(stop -> vertx.executeBlocking(warmUp::closeDatagramSockets));
    return Future.join(running)
        .eventually(threads::close)
        .andThen(over -> clients.forgetAll()) // also after a failure: nothing of it is left out
        .map(done -> warmUp.report(started, null))
        .recover(failure -> Future.succeededFuture(warmUp.report(started, failure)));
  }

  /**
   * One client, on a worker thread: a datagram and a TCP line in turn, each once the last is
   * answered, until the warm-up is over.
   */
  private Void client(Settings settings, int tcpPort, int udpPort, boolean paced)
      throws IOException {
    InetSocketAddress tcp = new InetSocketAddress(reachable(settings.tcp().host()), tcpPort);
    InetSocketAddress udp = new InetSocketAddress(reachable(settings.udp().host()), udpPort);
    byte[] received = new byte[64 * 1024];
    try (DatagramSocket datagrams = openDatagrams(udp);
        KeptConnection kept = new KeptConnection(tcp)) {
      for (int round = 0; !over(); round++) {
        byte[] text = nextLine().getBytes(StandardCharsets.UTF_8);
        exchange(datagrams, udp, text, received); // a datagram without a newline, as the lesson's
        byte[] line = Arrays.copyOf(text, text.length + 1);
        line[text.length] = '\n';
        if (!over()) {
          exchange(kept.socket(), line, received);
        }
        if (round % NEW_CONNECTION_EVERY == 0 && !over()) {
          try (Socket once = connect(tcp)) {
            exchange(once, line, received);
          }
        }
        if (paced) {
          LockSupport.parkNanos(PAUSE_NANOS);
        }
      }
    }
    return null;
  }

  /**
   * The connection a client keeps, made just before its first line, as every other one is: a
   * connection closed unused could be accepted after the warm-up forgets its clients, and be
   * counted as a real client's (it was, once in CI, when a real line came before the warm-up's
   * first).
   */
  private final class KeptConnection implements Closeable {

    private final InetSocketAddress server;
    private Socket socket; // null until the first line

    KeptConnection(InetSocketAddress server) {
      this.server = server;
    }

    Socket socket() throws IOException {
      if (socket == null) {
        socket = connect(server);
      }
      return socket;
    }

    @Override
    public void close() throws IOException {
      if (socket != null) {
        socket.close();
      }
    }
  }

  /** Where a port bound to {@code host} is reached from this machine: loopback for a wildcard. */
  private static InetAddress reachable(String host) throws UnknownHostException {
    InetAddress bound = InetAddress.getByName(host);
    if (!bound.isAnyLocalAddress()) {
      return bound;
    }
    return InetAddress.getByName(bound instanceof Inet6Address ? "::1" : "127.0.0.1");
  }

  /** A UDP socket, known to the endpoints as the warm-up's before it sends. */
  private DatagramSocket openDatagrams(InetSocketAddress server) throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
    clients.addUdp((InetSocketAddress) socket.getLocalSocketAddress());
    datagramSockets.add(socket);
    try {
      socket.setSoTimeout(TIMEOUT_MS);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }

  /** Wakes a client waiting for a reply the stopping endpoints will not send. */
  private Void closeDatagramSockets() {
    datagramSockets.forEach(DatagramSocket::close);
    return null;
  }

  /** A TCP connection, known to the endpoints as the warm-up's before it is made. */
  private Socket connect(InetSocketAddress server) throws IOException {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(server.getAddress(), 0));
      clients.addTcp((InetSocketAddress) socket.getLocalSocketAddress());
      socket.connect(server, TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      socket.setTcpNoDelay(true);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    tcpConnections.incrementAndGet();
    return socket;
  }

  /** Sends a datagram and waits for its reply. */
  private void exchange(DatagramSocket socket, InetSocketAddress server, byte[] line, byte[] into)
      throws IOException {
    socket.send(new DatagramPacket(line, line.length, server));
    socket.receive(new DatagramPacket(into, into.length));
    lines.incrementAndGet();
  }

  /** Sends a line and reads its reply, which ends with the line's newline. */
  private void exchange(Socket connection, byte[] line, byte[] into) throws IOException {
    connection.getOutputStream().write(line);
    InputStream in = connection.getInputStream();
    int read;
    do {
      read = in.read(into);
      if (read < 0) {
        throw new IOException("the server closed the warm-up's connection");
      }
    } while (into[read - 1] != '\n');
    lines.incrementAndGet();
  }

  private String nextLine() {
    int line = lines.get();
    return line % BIG_LINE_EVERY == BIG_LINE_EVERY - 1 ? BIG_LINE : LINES.get(line % LINES.size());
  }

  private boolean over() {
    if (!stoodAside && realTraffic.requestsTaken() > realRequestsBefore) {
      stoodAside = true;
    }
    return stoodAside
        || !endpoints.serving() // the node stops
        || lines.get() >= maxLines
        || System.nanoTime() - deadline >= 0;
  }

  private String report(long started, Throwable failure) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    String done =
        String.format(
            "Warm-up: %,d lines answered through the node's own ports, counted apart, in %.1f s,"
                + " over %,d TCP connections",
            lines.get(), millis / 1e3, tcpConnections.get());
    if (!endpoints.serving()) {
      return done + ", then the endpoints stopped"; // its last request may have found them closed
    }
    if (failure != null) {
      return done + ", then it stopped: " + failure.getMessage();
    }
    return stoodAside
        ? done + ", then it stood aside for the first real client's request"
        : done + ", so that the first clients' lines meet compiled code";
  }
}
