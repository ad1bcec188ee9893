package capslock.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class TrafficTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Traffic traffic = new Traffic(registry); // held, as the endpoints hold theirs

  @Test
  void aCounterKeptElsewhereIsStillReadAfterAGarbageCollection() {
    LongAdder retries = new LongAdder();
    traffic.count("capslock.test.retries", "retries", retries::sum); // the method reference has no other holder
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    retries.add(5);
    assertEquals(5.0, registry.get("capslock.test.retries").functionCounter().count());
  }
}
