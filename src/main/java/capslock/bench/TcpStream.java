package capslock.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * One TCP connection of the load: keeps {@code depth} messages in flight and checks every reply
 * byte against the upper case of what was sent, in order. A wrong byte or an early close is an
 * error, and ends this connection.
 */
final class TcpStream implements LoadStream {

  private final NetSocket socket;
  private final Context
      context; // the connection's event loop: every field below is touched only there
  private final Measurements measurements;
  private final int size;
  private final long[]
      sentAt; // send times of the messages in flight, a ring indexed by sequence number
  private long sent;
  private long receivedBytes;
  private boolean stopped;
  private boolean failed;

  private TcpStream(NetSocket socket, Measurements measurements, int size, int depth) {
    this.socket = socket;
    this.context = Vertx.currentContext();
    this.measurements = measurements;
    this.size = size;
    this.sentAt = new long[depth];
    socket.handler(this::onBytes);
    socket.closeHandler(
        closed -> {
          if (!stopped) {
            fail();
          }
        });
  }

  static Future<TcpStream> open(NetClient client, LoadOptions options, Measurements measurements) {
    return client
        .connect(options.port(), options.host())
        .map(socket -> new TcpStream(socket, measurements, options.size(), options.depth()));
  }

  @Override
  public void start() {
    context.runOnContext(
        onOwnEventLoop -> {
          for (int i = 0; i < sentAt.length; i++) {
            sendNext();
          }
        });
  }

  @Override
  public Future<Void> stop() {
    Promise<Void> closed = Promise.promise();
    context.runOnContext(
        onOwnEventLoop -> {
          stopped = true;
          socket.close().onComplete(closed);
        });
    return closed.future();
  }

  private void sendNext() {
    sentAt[(int) (sent % sentAt.length)] = System.nanoTime();
    socket.write(Buffer.buffer(Message.request(sent++, size)));
  }

  private void onBytes(Buffer bytes) {
    if (failed) {
      return;
    }
    for (int i = 0; i < bytes.length(); i++) {
      long offset = receivedBytes + i;
      long seq = offset / size;
      int at = (int) (offset % size);
      if (bytes.getByte(i) != Message.reply(seq, at, size)) {
        fail();
        return;
      }
      if (at == size - 1) {
        measurements.reply(sentAt[(int) (seq % sentAt.length)]);
        if (!stopped) {
          sendNext();
        }
      }
    }
    receivedBytes += bytes.length();
  }

  private void fail() {
    if (!failed) {
      failed = true;
      measurements.error();
      socket.close();
    }
  }
}
