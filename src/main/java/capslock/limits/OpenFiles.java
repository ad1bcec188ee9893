package capslock.limits;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The files this process may open ({@code ulimit -n}) and has open; every connection is one. Past
 * that limit each accept fails, and Netty's io_uring transport tries again at once and logs every
 * failure (2.7 million lines in a few seconds, measured), so the node keeps its connections within
 * what fits.
 */
public record OpenFiles(long max, long open) {

  /**
   * Kept for all but the clients' connections: the event loops' rings, the UDP socket, the
   * cluster's connections, the warm-up's clients, logs.
   */
  static final int SPARE = 128;

  /**
   * Kept for connections accepted but not counted yet, and for those accepted after the node
   * reached its most, before its port stopped: Vert.x accepts on a thread of its own, ahead of the
   * event loops that count. {@link SourceLimits} serves such a burst up to a quarter of the most
   * over it, at most this many; the margin is a quarter of the files when that is less (the most
   * fits in the files, so its quarter does in this).
   */
  static final int ACCEPTING = 1024;

  /** The process's, now; unbounded when the JVM cannot tell (not a Unix). */
  public static OpenFiles now() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
      return new OpenFiles(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
    }
    return new OpenFiles(Long.MAX_VALUE, 0);
  }

  /**
   * How many more connections fit, keeping {@code reserved} files for other connections (the HTTP
   * port's), {@link #ACCEPTING} and {@link #SPARE} for the rest: at least one.
   */
  public int connectionsThatFit(int reserved) {
    long room = max - open - reserved - accepting(max) - SPARE;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, room));
  }

  /** The margin for connections being accepted out of {@code count}: a quarter, at most 1,024. */
  static long accepting(long count) {
    return Math.min(ACCEPTING, count / 4);
  }
}
