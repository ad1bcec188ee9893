package capslock.protocol;

import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.impl.DatagramSocketImpl;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The Netty channel under a Vert.x {@link DatagramSocket}. Vert.x reads one datagram per event-loop
 * turn, copies each one, resolves the destination of every datagram it sends and flushes each one
 * alone; the UDP endpoint reads and writes the channel itself instead, and leaves the socket's
 * binding and closing to Vert.x. Vert.x 5 does not expose this channel, so it is read from the
 * socket's one private field: the only place outside the endpoints' package where capslock reaches
 * into Vert.x.
 *
 * <p>Also the one workaround for the Netty that capslock is pinned to (4.2.18): its Java NIO
 * datagram channel silently drops an empty datagram (fixed in 4.2.20); io_uring sends it. The
 * server's empty replies and the UDP client's empty lines need it alike.
 */
public final class DatagramChannels {

  private static final Field CHANNEL = channelField();
  private static final Method JAVA_CHANNEL = javaChannelMethod();
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private DatagramChannels() {}

  public static DatagramChannel of(DatagramSocket socket) {
    try {
      return (DatagramChannel) CHANNEL.get(socket);
    } catch (IllegalAccessException | ClassCastException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot reach the channel of this Vert.x DatagramSocket: " + e, e);
    }
  }

  /**
   * Whether an empty datagram written to {@code channel} would be dropped (Java NIO, Netty 4.2.18).
   */
  public static boolean dropsEmptyDatagrams(DatagramChannel channel) {
    return channel instanceof NioDatagramChannel;
  }

  /**
   * Sends an empty datagram to {@code to} straight through the Java socket under a Java NIO {@code
   * channel}: for when Netty has just taken one off its queue without sending it, so that it goes
   * after every datagram before it. A send buffer full at that very moment loses it: the Java
   * socket says 0 bytes sent either way.
   */
  public static void sendEmpty(DatagramChannel channel, InetSocketAddress to) throws IOException {
    try {
      ((java.nio.channels.DatagramChannel) JAVA_CHANNEL.invoke(channel))
          .send(NOTHING.duplicate(), to);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(
          "cannot reach the Java socket of this Netty channel: " + e, e);
    }
  }

  private static Method javaChannelMethod() {
    try {
      Method method = AbstractNioChannel.class.getDeclaredMethod("javaChannel");
      method.setAccessible(true);
      return method;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "this Netty's AbstractNioChannel has no javaChannel(): capslock is built for Netty 4.2",
          e);
    }
  }

  private static Field channelField() {
    try {
      Field field = DatagramSocketImpl.class.getDeclaredField("channel");
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(
          "this Vert.x's DatagramSocketImpl has no 'channel' field: capslock is built for Vert.x 5.2",
          e);
    }
  }
}
