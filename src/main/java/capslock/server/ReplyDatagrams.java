package capslock.server;

import capslock.metrics.Occurrences;
import capslock.protocol.DatagramChannels;
import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.channel.uring.IoUringDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the replies ready for one source, in order. On io_uring, Netty sends one datagram per turn
 * of the event loop (a round trip through the ring each), so replies of the same length to the same
 * source go as one segmented send (UDP GSO, {@code UDP_SEGMENT}): the kernel cuts them into the
 * same datagrams, in the same order, for one system call. Elsewhere, and for replies of other
 * lengths, each reply is a datagram of its own. Should the kernel refuse a segmented send (it
 * should not: the segments are sized for any link), its replies go one by one, after those written
 * meanwhile, and segments are not tried again.
 *
 * <p>An empty reply takes its place in Netty's queue like any other. On Java NIO, where Netty
 * 4.2.18 takes an empty datagram off its queue without sending it, it is sent then, around Netty
 * ({@link DatagramChannels#sendEmpty}): after every reply before it, even those that waited in the
 * queue for room in the socket's send buffer.
 */
final class ReplyDatagrams {

  /**
   * The largest reply sent as a segment: a segment must fit the outgoing interface's MTU, and 1,200
   * bytes fits any IPv6 link (1,280) with its headers. Larger replies go alone.
   */
  static final int MAX_SEGMENT_BYTES = 1_200;

  /** The most segments in one send (the kernel's UDP_MAX_SEGMENTS is 64 on older kernels). */
  static final int MAX_SEGMENTS = 64;

  /** The most bytes in one send: what one UDP datagram could carry, with room to spare. */
  static final int MAX_SEND_BYTES = 60_000;

  private static final Logger log = LoggerFactory.getLogger(ReplyDatagrams.class);

  private final DatagramChannel channel;
  private final boolean dropsEmpty; // Java NIO on Netty 4.2.18
  private boolean segments; // turned off for good if the kernel refuses a segmented send
  private final Occurrences failures = new Occurrences(); // said at most once a minute

  ReplyDatagrams(DatagramChannel channel) {
    this.channel = channel;
    this.dropsEmpty = DatagramChannels.dropsEmptyDatagrams(channel);
    this.segments =
        channel instanceof IoUringDatagramChannel
            && IoUringDatagramChannel.isSegmentedDatagramPacketSupported();
  }

  /**
   * Writes {@code replies} to {@code to}, in their order, and hands them over; the caller flushes.
   */
  void write(List<ByteBuf> replies, InetSocketAddress to) {
    int i = 0;
    while (i < replies.size()) {
      int run = segments ? sameLengthRun(replies, i) : 1;
      if (run == 1) {
        writeOne(replies.get(i), to);
      } else {
        writeSegments(replies.subList(i, i + run), to);
      }
      i += run;
    }
  }

  /**
   * How many replies from {@code from} on can go as the segments of one send: the same length, up
   * to the last, which may be shorter (as the kernel cuts them).
   */
  private static int sameLengthRun(List<ByteBuf> replies, int from) {
    int length = replies.get(from).readableBytes();
    if (length == 0 || length > MAX_SEGMENT_BYTES) {
      return 1;
    }
    int end = from + 1;
    while (end < replies.size()
        && end - from < MAX_SEGMENTS
        && (end - from + 1) * length <= MAX_SEND_BYTES) {
      int next = replies.get(end).readableBytes();
      if (next == 0 || next > length) {
        break;
      }
      end++;
      if (next < length) {
        break; // a shorter one can only be the last
      }
    }
    return end - from;
  }

  private void writeOne(ByteBuf reply, InetSocketAddress to) {
    boolean sendAround = dropsEmpty && reply.readableBytes() == 0;
    channel
        .write(new DatagramPacket(reply, to))
        .addListener(
            written -> {
              if (!written.isSuccess()) {
                notSent(to, written.cause());
              } else if (sendAround) { // Netty has just dropped it, and sent all before it
                sendEmpty(to);
              }
            });
  }

  private void sendEmpty(InetSocketAddress to) {
    try {
      DatagramChannels.sendEmpty(channel, to);
    } catch (IOException e) {
      notSent(to, e);
    }
  }

  /** A reply the socket refused: said at most once a minute, with how many. */
  private void notSent(InetSocketAddress to, Throwable why) {
    failures.countOne(
        unsaid ->
            log.warn(
                "{} reply(ies) not sent since the last such line; the latest, to {}: {}",
                unsaid,
                to,
                why.getMessage()));
  }

  private void writeSegments(List<ByteBuf> run, InetSocketAddress to) {
    int length = run.get(0).readableBytes();
    int total = run.stream().mapToInt(ByteBuf::readableBytes).sum();
    ByteBuf joined = channel.alloc().directBuffer(total);
    for (ByteBuf reply : run) {
      joined.writeBytes(reply, reply.readerIndex(), reply.readableBytes());
    }
    List<ByteBuf> replies = List.copyOf(run); // kept until the send is done, to go one by one
    channel
        .write(new SegmentedDatagramPacket(joined, length, to))
        .addListener(
            written -> {
              if (written.isSuccess()) {
                replies.forEach(ByteBuf::release);
                return;
              }
              if (segments) {
                segments = false;
                log.info(
                    "The kernel refused a segmented UDP send to {} ({}): replies go one datagram"
                        + " at a time from now on",
                    to,
                    written.cause().getMessage());
              }
              replies.forEach(reply -> writeOne(reply, to));
              channel.flush();
            });
  }
}
