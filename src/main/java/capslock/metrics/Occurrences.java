package capslock.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Something that may happen thousands of times a second (a datagram dropped, a reply not sent),
 * said at most once a minute with how many times it happened since it was last said: a log line for
 * each would itself slow the event loop, which writes the console as it goes. Used on one event
 * loop, or under one lock.
 */
public final class Occurrences {

  static final long SAY_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final LongSupplier clock;
  private long unsaid;
  private long lastSaid;

  public Occurrences() {
    this(System::nanoTime);
  }

  /** With {@code clock} in nanoseconds, as {@link System#nanoTime()}. */
  Occurrences(LongSupplier clock) {
    this.clock = clock;
    this.lastSaid = clock.getAsLong() - SAY_EVERY_NANOS; // the first is said at once
  }

  /**
   * Counts one, and hands {@code say} how many came since it was last said, this one included,
   * unless that was less than a minute ago.
   */
  public void countOne(LongConsumer say) {
    unsaid++;
    long now = clock.getAsLong();
    if (now - lastSaid >= SAY_EVERY_NANOS) {
      say.accept(unsaid);
      unsaid = 0;
      lastSaid = now;
    }
  }
}
