package capslock.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SplitCharacterTest {

  @ParameterizedTest(name = "{0} holds back {1}")
  @CsvSource({
    "E2, 1",
    "E2 82, 2",
    "F0 9F, 2",
    "F0 9F 98, 3",
    "C3, 1",
    "61 C3, 1",
    "61 E2 82, 2",
    "61 F0 9F 98, 3",
    "ED A0, 0",
    "ED 9F, 2",
    "E0 80, 0",
    "E0 A0, 2",
    "F4 90, 0",
    "F4 8F, 2",
    "F0 80, 0",
    "C0, 0",
    "C1, 0",
    "F5, 0",
    "FF, 0",
    "80, 0",
    "BF BF, 0",
    "61, 0",
    "E2 82 AC, 0",
    "C3 A9, 0",
    "F0 9F 98 80, 0",
    "E2 82 41, 0",
  })
  void holdsBackOnlyBytesThatCanStillBecomeACharacter(String hex, int held) {
    SplitCharacter split = new SplitCharacter();
    byte[] read = hex(hex);
    SplitCharacter.Cut cut = split.next(ByteBuffer.wrap(read));
    assertEquals(held, split.held());
    assertEquals(read.length - held, cut.end());
    assertArrayEquals(Arrays.copyOfRange(read, read.length - held, read.length), split.rest());
  }

  @Test
  void holdsBackNothingFromNothing() {
    SplitCharacter split = new SplitCharacter();
    SplitCharacter.Cut cut = split.next(ByteBuffer.allocate(0));
    assertEquals(new SplitCharacter.Cut(null, 0, 0), cut);
    assertEquals(0, split.rest().length);
  }

  @Test
  void takesWholeOnlyAReadEndingInAsciiWithNothingHeldBeforeIt() {
    SplitCharacter split = new SplitCharacter();
    assertTrue(split.takesWhole((byte) 'a'));
    assertFalse(split.takesWhole((byte) 0xC3), "may be the start of a character");
    assertFalse(split.takesWhole((byte) 0xA9), "not ASCII: next() looks at what it ends");
    split.next(ByteBuffer.wrap(hex("61 C3")));
    assertFalse(split.takesWhole((byte) 'a'), "C3 is held: it goes before the read");
  }

  @Test
  void aFourByteCharacterArrivingOneByteAtATimeComesOutWholeWithTheFourthByte() {
    SplitCharacter split = new SplitCharacter();
    byte[] smile = hex("F0 9F 98 80");
    for (int i = 0; i < 3; i++) {
      SplitCharacter.Cut cut = split.next(ByteBuffer.wrap(smile, i, 1));
      assertNull(cut.before());
      assertEquals(cut.start(), cut.end(), "nothing of the read is ready");
    }
    SplitCharacter.Cut last = split.next(ByteBuffer.wrap(smile, 3, 1));
    assertArrayEquals(smile, last.before());
    assertEquals(4, last.start());
    assertEquals(4, last.end());
  }

  @Test
  void heldBytesThatTheNextReadCannotCompleteGoOutAsTheyCameBeforeIt() {
    SplitCharacter split = new SplitCharacter();
    split.next(ByteBuffer.wrap(hex("61 E2 82")));
    SplitCharacter.Cut cut = split.next(ByteBuffer.wrap(hex("41 42")));
    assertArrayEquals(hex("E2 82"), cut.before());
    assertEquals(0, cut.start());
    assertEquals(2, cut.end());
  }

  @Test
  void anyByteStringCutAnywhereGivesTheSameAsInOnePiece() {
    Random random = new Random(20261125);
    for (int round = 0; round < 3_000; round++) {
      byte[] input = RandomText.bytes(random, random.nextInt(300));
      assertArrayEquals(
          Utf8Upper.apply(input), streamed(input, random), () -> HexFormat.of().formatHex(input));
    }
  }

  /**
   * Upper-cases {@code input} as the TCP endpoint does: in reads of random lengths, cut by one
   * SplitCharacter.
   */
  private static byte[] streamed(byte[] input, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SplitCharacter split = new SplitCharacter();
    int at = 0;
    while (at < input.length) {
      int next = Math.min(input.length, at + 1 + random.nextInt(8));
      if (split.takesWhole(input[next - 1])) {
        out.writeBytes(Utf8Upper.apply(Arrays.copyOfRange(input, at, next)));
        at = next;
        continue;
      }
      SplitCharacter.Cut cut = split.next(ByteBuffer.wrap(input, at, next - at));
      if (cut.before() != null) {
        out.writeBytes(Utf8Upper.apply(cut.before()));
      }
      out.writeBytes(Utf8Upper.apply(Arrays.copyOfRange(input, cut.start(), cut.end())));
      at = next;
    }
    out.writeBytes(split.rest()); // end of input: an incomplete character goes back as it came
    return out.toByteArray();
  }

  private static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }
}
