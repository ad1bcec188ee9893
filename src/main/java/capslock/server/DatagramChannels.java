package capslock.server;

import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.impl.DatagramSocketImpl;
import java.lang.reflect.Field;

/**
 * The Netty channel under a Vert.x {@link DatagramSocket}. Vert.x reads one datagram per
 * event-loop turn, copies each one, resolves the destination of every datagram it sends and
 * flushes each one alone; the UDP endpoint reads and writes the channel itself instead, and
 * leaves the socket's binding and closing to Vert.x. Vert.x 5 does not expose this channel, so
 * it is read from the socket's one private field: the only place capslock does so.
 */
final class DatagramChannels {

  private static final Field CHANNEL = channelField();

  private DatagramChannels() {
  }

  static DatagramChannel of(DatagramSocket socket) {
    try {
      return (DatagramChannel) CHANNEL.get(socket);
    } catch (IllegalAccessException | ClassCastException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot reach the channel of this Vert.x DatagramSocket: " + e, e);
    }
  }

  private static Field channelField() {
    try {
      Field field = DatagramSocketImpl.class.getDeclaredField("channel");
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("this Vert.x's DatagramSocketImpl has no 'channel' field: capslock is built for Vert.x 5.2", e);
    }
  }
}
