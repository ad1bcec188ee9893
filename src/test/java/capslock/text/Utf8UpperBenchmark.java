package capslock.text;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast {@link Utf8Upper} upper-cases 64,000 bytes of each kind of text, from an array into one
 * with room for the longest upper case, as the server's workers do it. The score is in bytes of
 * input per microsecond, which is MB/s. Not part of {@code mvn verify}; run it with {@code mvn -B
 * -Pjmh test-compile exec:exec} (README, "Measuring it").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(Utf8UpperBenchmark.BYTES)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(1)
public class Utf8UpperBenchmark {

  static final int BYTES = 64_000;

  @Param({"ascii", "mixed", "sharp-s", "hangul", "invalid"})
  public String text;

  /** The bench kit's real text (its loadgen's --text mixed), over and over. */
  private static final String MIXED =
      "Grüße aus Köln: straße, ǰ, ﬁ, ŉ, ﬀ, ΐ; Ελληνικά ωμέγα; русский текст; 안녕하세요 세계 😀 𐐨 ǅ\n";

  private byte[] in;
  private byte[] out;

  @Setup
  public void setUp() {
    byte[] bytes =
        switch (text) {
          case "ascii" -> repeat("the quick brown fox jumps over the lazy dog. ");
          case "mixed" -> repeat(MIXED);
          case "sharp-s" -> repeat("ß");
          case "hangul" -> repeat("한국어 텍스트");
          case "invalid" -> random();
          default -> throw new IllegalArgumentException(text);
        };
    in = bytes;
    out = new byte[Utf8Upper.MAX_GROWTH * bytes.length];
  }

  @Benchmark
  public int upperCase() {
    return Utf8Upper.upperCase(in, 0, in.length, out, 0);
  }

  private static byte[] repeat(String unit) {
    byte[] one = unit.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[BYTES];
    for (int i = 0; i < BYTES; i++) {
      all[i] = one[i % one.length];
    }
    return all; // the last character may be cut: a few bytes copied as they came, as on the wire
  }

  private static byte[] random() {
    byte[] all = new byte[BYTES];
    new Random(42).nextBytes(all);
    return all;
  }
}
