package capslock.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What happens often is said at once the first time, then at most once a minute, with its count.
 */
class OccurrencesTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Occurrences occurrences = new Occurrences(now::get);
  private final List<Long> said = new ArrayList<>();

  @Test
  void saysTheFirstAtOnceThenCountsTheRestForAMinute() {
    occurrences.countOne(said::add);
    for (int i = 0; i < 999; i++) {
      now.addAndGet(1_000_000); // a millisecond apart
      occurrences.countOne(said::add);
    }
    assertEquals(List.of(1L), said);
    now.set(1_000_000_000L + Occurrences.SAY_EVERY_NANOS); // a minute after the first was said
    occurrences.countOne(said::add);
    occurrences.countOne(said::add);
    assertEquals(List.of(1L, 1_000L), said, "the 999 unsaid and this one, then nothing");
  }

  @Test
  void saysAgainAtOnceAfterAQuietMinute() {
    occurrences.countOne(said::add);
    now.addAndGet(2 * Occurrences.SAY_EVERY_NANOS);
    occurrences.countOne(said::add);
    assertEquals(List.of(1L, 1L), said);
  }
}
