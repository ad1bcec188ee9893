package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What happens often is said at once the first time, then at most once a minute, with its count.
 */
class OccurrencesTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Occurrences occurrences = new Occurrences(now::get);

  @Test
  void saysTheFirstAtOnceThenCountsTheRestForAMinute() {
    assertEquals(1, occurrences.countOne());
    for (int i = 0; i < 999; i++) {
      now.addAndGet(1_000_000); // a millisecond apart
      assertEquals(0, occurrences.countOne());
    }
    now.set(1_000_000_000L + Occurrences.SAY_EVERY_NANOS); // a minute after the first was said
    assertEquals(1_000, occurrences.countOne(), "the 999 unsaid and this one");
    assertEquals(0, occurrences.countOne());
  }

  @Test
  void saysAgainAtOnceAfterAQuietMinute() {
    assertEquals(1, occurrences.countOne());
    now.addAndGet(2 * Occurrences.SAY_EVERY_NANOS);
    assertEquals(1, occurrences.countOne());
  }
}
