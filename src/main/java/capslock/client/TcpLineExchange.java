package capslock.client;

import capslock.protocol.Network;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TcpClientConfig;
import java.time.Duration;

/**
 * The lesson's TCP client: sends each line with its newline and reads until the reply's newline, so
 * that a reply that arrives in several pieces is still given whole.
 */
public final class TcpLineExchange implements LineExchange {

  /**
   * The longest line it sends: the line is held, and its upper case (up to three times as long) is
   * gathered until its newline comes, in a client whose heap may be small.
   */
  static final int LONGEST_LINE_BYTES = 16 * 1024 * 1024;

  /** How far apart a refused connection is tried again: the server may be starting. */
  static final Duration CONNECT_RETRY_INTERVAL = Duration.ofSeconds(1);

  private final NetClient client;
  private final NetSocket socket;
  private final Context context; // the socket's event loop: all state below is touched only there
  private Buffer pending = Buffer.buffer(); // the reply received so far
  private Promise<Reply> reply;
  private long sentAt;
  private String failure; // why the connection ended, once it has

  private TcpLineExchange(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    this.context = Vertx.currentContext();
    socket
        .handler(this::onBytes)
        .exceptionHandler(error -> failure = describe(error))
        .closeHandler(
            closed -> {
              if (failure == null) {
                failure = "Connection closed by the server";
              }
              fail();
            });
  }

  /**
   * Connects within the endpoint's timeout, trying a refused connection {@code retries} times more;
   * failures are one-line {@link ClientFailure}s.
   */
  public static Future<TcpLineExchange> connect(Vertx vertx, Endpoint endpoint, int retries) {
    SocketAddress server =
        SocketAddress.inetSocketAddress(endpoint.port(), endpoint.resolvedAddress());
    NetClient client =
        vertx.createNetClient(
            new TcpClientConfig()
                .setLocalAddress(SocketAddress.inetSocketAddress(endpoint.localPort(), "0.0.0.0"))
                .setConnectTimeout(endpoint.timeout()));
    return attempt(vertx, client, server, retries)
        .map(socket -> new TcpLineExchange(client, socket))
        .recover(
            error -> {
              client.close();
              return Future.failedFuture(connectFailure(endpoint, retries, error));
            });
  }

  /**
   * One try, and {@code left} more 1 s apart while the connection is refused (the server may be
   * starting). Vert.x's own retries would try again after a timeout too, each as long.
   */
  private static Future<NetSocket> attempt(
      Vertx vertx, NetClient client, SocketAddress server, int left) {
    return client
        .connect(server)
        .recover(
            error ->
                left > 0 && refused(error)
                    ? vertx
                        .timer(CONNECT_RETRY_INTERVAL)
                        .compose(ignored -> attempt(vertx, client, server, left - 1))
                    : Future.failedFuture(error));
  }

  private static boolean refused(Throwable error) {
    return String.valueOf(error.getMessage()).contains("Connection refused");
  }

  @Override
  public int longestLine() {
    return LONGEST_LINE_BYTES;
  }

  @Override
  public String longestLineIs() {
    return "the longest line this client sends";
  }

  @Override
  public int localPort() {
    return socket.localAddress().port();
  }

  @Override
  public Future<Reply> send(Buffer line) {
    Promise<Reply> answer = Promise.promise();
    Buffer request = line.copy().appendByte((byte) '\n');
    context.runOnContext(
        onEventLoop -> {
          if (failure != null) {
            answer.fail(new ClientFailure(failure));
            return;
          }
          reply = answer;
          sentAt = System.nanoTime();
          socket.write(request);
        });
    return answer.future();
  }

  @Override
  public boolean survivesTimeout() {
    return false;
  }

  @Override
  public Future<Void> closeAsync() {
    return client.close();
  }

  private void onBytes(Buffer bytes) {
    int searchFrom = pending.length();
    pending.appendBuffer(bytes);
    int newline = indexOfNewline(pending, searchFrom);
    if (newline >= 0 && reply != null) {
      long roundTrip = System.nanoTime() - sentAt;
      Buffer line = pending.getBuffer(0, newline);
      pending = pending.getBuffer(newline + 1, pending.length());
      Promise<Reply> answered = reply;
      reply = null;
      answered.complete(new Reply(line, roundTrip));
    }
  }

  private void fail() {
    if (reply != null) {
      Promise<Reply> unanswered = reply;
      reply = null;
      unanswered.fail(new ClientFailure(failure));
    }
  }

  private static int indexOfNewline(Buffer bytes, int from) {
    for (int i = from; i < bytes.length(); i++) {
      if (bytes.getByte(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String describe(Throwable error) {
    String message = String.valueOf(error.getMessage());
    return message.contains("reset")
        ? "Connection reset by the server"
        : "Connection failed: " + message;
  }

  private static ClientFailure connectFailure(Endpoint endpoint, int retries, Throwable error) {
    if (Network.isAddressInUse(error)) {
      return ClientFailure.localPortInUse(endpoint.localPort());
    }
    if (error instanceof ConnectTimeoutException) {
      return new ClientFailure(
          "Connection timed out: no answer from "
              + endpoint
              + " within "
              + endpoint.timeout().toMillis() / 1000.0
              + " s (--timeout): is the host up, and is its port open to you?");
    }
    String message = String.valueOf(error.getMessage());
    if (refused(error)) {
      String tried =
          retries == 0
              ? "tried once"
              : "tried "
                  + (retries + 1)
                  + " times, "
                  + CONNECT_RETRY_INTERVAL.toSeconds()
                  + " s apart";
      return new ClientFailure(
          "Connection refused by " + endpoint + " (" + tried + "): is the server running?");
    }
    return new ClientFailure("Cannot connect to " + endpoint + ": " + message);
  }
}
