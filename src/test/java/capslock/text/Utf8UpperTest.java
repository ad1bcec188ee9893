package capslock.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8UpperTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "hello world|HELLO WORLD",
        "Hello, World! 123|HELLO, WORLD! 123",
        "straße|STRASSE",
        "ﬁx|FIX",
        "ǰ|J̌",
        "ΐ|Ϊ́",
        "ﬃ ŉ|FFI ʼN",
        "ﬆ|ST",
        "hello wörld|HELLO WÖRLD",
        "한국어 텍스트|한국어 텍스트",
        "漢字とかな|漢字とかな",
        "emoji 😀 ok|EMOJI 😀 OK",
        "mixed ß 한 😀 ǰ ﬁ é|MIXED SS 한 😀 J̌ FI É",
        "0123456789 !?#$%&*()[]{}|0123456789 !?#$%&*()[]{}",
      })
  void upperCasesWellFormedTextWithTheFullMapping(String input, String expected) {
    assertEquals(expected, upper(input));
  }

  @Test
  void upperCasesEveryAsciiByteAtEveryOffset() {
    byte[] ascii = new byte[128 + 7];
    for (int i = 0; i < ascii.length; i++) {
      ascii[i] = (byte) (i % 128);
    }
    for (int offset = 0; offset < 8; offset++) {
      byte[] input = Arrays.copyOfRange(ascii, offset, offset + 128);
      byte[] expected = input.clone();
      for (int i = 0; i < expected.length; i++) {
        expected[i] = (byte) Character.toUpperCase(expected[i]);
      }
      assertArrayEquals(expected, Utf8Upper.apply(input));
    }
  }

  @Test
  void emptyInputGivesEmptyOutput() {
    assertArrayEquals(new byte[0], Utf8Upper.apply(new byte[0]));
  }

  @Test
  void newlinesAndControlCharactersAreOrdinaryCharacters() {
    assertEquals("A\nB\r\n\tC\0", upper("a\nb\r\n\tc\0"));
  }

  @Test
  @SuppressWarnings("StringCaseLocaleUsage") // the point: what the default locale would do
  void mapsSmallIToCapitalIEvenWhenTheDefaultLocaleIsTurkish() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertEquals("İ", "i".toUpperCase(), "the default locale is Turkish");
      assertEquals("I", upper("i"));
      assertEquals("TITLE İ", upper("title İ"));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ED A0 80, surrogate",
    "ED BF BF, surrogate",
    "E0 80 80, overlong 3-byte",
    "C0 AF, overlong 2-byte",
    "C1 BF, overlong 2-byte",
    "F0 80 80 80, overlong 4-byte",
    "F4 90 80 80, past U+10FFFF",
    "F5 80 80 80, never a lead byte",
    "FF, never a lead byte",
    "FE, never a lead byte",
    "80, lone continuation byte",
    "BF BF, lone continuation bytes",
    "E2 82, incomplete character",
    "F0 9F 98, incomplete character",
    "C3, incomplete character",
    "E2 28 A1, lead byte followed by ASCII",
  })
  void copiesBytesThatAreNotWellFormedUnchangedAndUpperCasesTheTextAround(String hex, String why) {
    byte[] bad = hex(hex);
    byte[] input = concat(utf8("aß "), bad, utf8(" é z"));
    byte[] expected = concat(utf8("ASS "), bad, utf8(" É Z"));
    assertArrayEquals(expected, Utf8Upper.apply(input), why);
  }

  @ParameterizedTest(name = "{0} starts a character of {1} bytes")
  @CsvSource({
    "00, 1", "7F, 1", "80, 0", "BF, 0", "C0, 0", "C1, 0", "C2, 2", "DF, 2", "E0, 3", "ED, 3",
    "EF, 3", "F0, 4", "F4, 4", "F5, 0", "FF, 0",
  })
  void aLeadByteSaysHowLongItsCharacterIsAsUnicodeTable37Says(String hex, int length) {
    assertEquals(length, Utf8.sequenceLength(hex(hex)[0]));
  }

  @Test
  void theWellFormedStartOfACharacterEndsWithTheCharacterOrTheBytesGiven() {
    byte[] euroThenContinuation = hex("E2 82 AC 80");
    assertEquals(
        3,
        Utf8.wellFormedPrefix(euroThenContinuation, 0, 4),
        "the euro sign, not the byte after it");
    assertEquals(2, Utf8.wellFormedPrefix(euroThenContinuation, 0, 2), "as far as the bytes given");
    assertEquals(1, Utf8.wellFormedPrefix(hex("ED A0 80"), 0, 3), "a surrogate's lead byte alone");
    assertEquals(1, Utf8.wellFormedPrefix(hex("61 62"), 0, 2), "ASCII: one byte");
  }

  @Test
  void agreesWithPythonStrUpperOnEveryCodePointBothDefine() throws IOException {
    Map<Integer, String> python = pythonUpper();
    int checked = 0;
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      if (!Character.isDefined(cp) || Character.getType(cp) == Character.SURROGATE) {
        continue;
      }
      String character = Character.toString(cp);
      String expected = python.getOrDefault(cp, character);
      assertEquals(
          expected,
          upper(character),
          () -> "U+" + HexFormat.of().toHexDigits(character.codePointAt(0)));
      checked++;
    }
    assertTrue(checked > 140_000, "checked " + checked + " code points");
  }

  @Test
  void upperCasesTextThatGrowsAtEveryLengthAroundEachGrowingCharacter() {
    for (String growing : new String[] {"ß", "ΐ", "ﬃ", "ǰ", "ŉ", "ı", "ⱥ"}) {
      for (int before = 0; before <= 64; before++) {
        for (int after = 0; after <= 9; after++) {
          String text = "a".repeat(before) + growing + "é".repeat(after) + "z";
          assertEquals(text.toUpperCase(Locale.ROOT), upper(text), growing + " after " + before);
        }
      }
    }
  }

  @Test
  void upperCasesTextMadeOnlyOfCharactersThatGrow() {
    String sharpS = "ß".repeat(32_000);
    assertEquals("SS".repeat(32_000), upper(sharpS));
    String iota = "ΐ".repeat(21_000); // 42,000 bytes, the worst growth: 126,000
    byte[] upper = Utf8Upper.apply(utf8(iota));
    assertEquals(3 * utf8(iota).length, upper.length);
    assertEquals(iota.toUpperCase(Locale.ROOT), new String(upper, StandardCharsets.UTF_8));
  }

  @Test
  void upperCasesEveryShortTextMadeOnlyOfCharactersThatGrowIntoTheRoomOfTheLongestUpperCase() {
    for (String growing : new String[] {"ΐ", "ǰ", "ß", "ﬃ"}) {
      for (int count = 0;
          count <= 20;
          count++) { // the last characters land where the bound leaves no slack
        String text = growing.repeat(count);
        assertEquals(text.toUpperCase(Locale.ROOT), upper(text), growing + " x " + count);
      }
    }
  }

  @Test
  void upperCasesEveryThreeByteCharacterInARunOfThem() {
    StringBuilder run = new StringBuilder();
    for (int cp = 0x800; cp <= 0xFFFF; cp++) {
      if (Character.getType(cp) != Character.SURROGATE) {
        run.appendCodePoint(cp);
      }
    }
    String text = run.toString();
    assertEquals(text.toUpperCase(Locale.ROOT), upper(text));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "ED A0 80, a surrogate",
    "E0 A0 80 E0 80 80, an overlong form after a character",
    "E0 81 A1, an overlong a",
    "EF BF, the start of a character cut by ASCII",
    "E2 82 AC E2 82, the start of a character cut by the next one",
  })
  void copiesBytesThatAreNotCharactersAmongThreeByteCharactersInPlace(String hex, String what) {
    byte[] input = concat(utf8("한국어 ⓐⓑ"), hex(hex), utf8("ⓒ텍스트 ﬀ ᾳ"));
    assertArrayEquals(reference(input), Utf8Upper.apply(input), what);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "C1 A1, an overlong a",
    "C0 80, an overlong NUL",
    "C3 C3 A9, the start of a character cut by the next one",
    "CE, the start of a character cut by ASCII",
    "80 BF, continuation bytes alone",
  })
  void copiesBytesThatAreNotCharactersAmongTwoByteCharactersInPlace(String hex, String what) {
    for (String before : new String[] {"ω", "ωμ", "ωμέ", "ωμέγ", "ωμέγα"}) {
      byte[] input = concat(utf8("a " + before), hex(hex), utf8("ßé ΐ straße"));
      assertArrayEquals(reference(input), Utf8Upper.apply(input), what + " after " + before);
    }
  }

  @Test
  void copiesInvalidBytesBetweenGrowingCharactersInPlace() {
    byte[] input =
        concat(
            utf8("ß"),
            hex("FF"),
            utf8("ΐ"),
            hex("E2 82"),
            utf8("ﬁ"),
            hex("80 C0"),
            utf8("ß"),
            hex("F0 9F 98"));
    byte[] expected =
        concat(
            utf8("SS"),
            hex("FF"),
            utf8("ΐ".toUpperCase(Locale.ROOT)),
            hex("E2 82"),
            utf8("FI"),
            hex("80 C0"),
            utf8("SS"),
            hex("F0 9F 98"));
    assertArrayEquals(expected, Utf8Upper.apply(input));
  }

  @Test
  void anyBytesGiveWhatAReferenceBuiltOnTheJdkDecoderGives() {
    Random random = new Random(20261125);
    for (int round = 0; round < 5_000; round++) {
      byte[] input = RandomText.bytes(random, random.nextInt(200));
      assertArrayEquals(
          reference(input), Utf8Upper.apply(input), () -> HexFormat.of().formatHex(input));
    }
  }

  @Test
  void upperCasesFromAndIntoArraysAtAnyOffsetAndTouchesNothingOutsideItsRoom() {
    String words = "hello straße ΐ 한국어 😀 done";
    byte[] text = concat(utf8("xyz"), utf8(words), utf8("abcde"));
    int from = 3;
    int to = text.length - 5;
    int at = 7;
    int room = Utf8Upper.MAX_GROWTH * (to - from);
    byte[] upper = new byte[at + room + 9];
    Arrays.fill(upper, (byte) '#');
    int written = Utf8Upper.upperCase(text, from, to, upper, at);
    assertEquals(
        words.toUpperCase(Locale.ROOT), new String(upper, at, written, StandardCharsets.UTF_8));
    for (int k = 0; k < upper.length; k++) {
      if (k < at || k >= at + room) {
        assertEquals('#', upper[k], "byte " + k + " is outside the room");
      }
    }
  }

  @Test
  void refusesRoomShorterThanTheLongestUpperCase() {
    byte[] text = utf8("hello");
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Utf8Upper.upperCase(text, 0, 5, new byte[5 * Utf8Upper.MAX_GROWTH - 1], 0));
    assertThrows(
        IndexOutOfBoundsException.class, () -> Utf8Upper.upperCase(text, 0, 6, new byte[100], 0));
  }

  @Test
  void upperCasesEveryAsciiByteInTheEightByteLoopAndAfterIt() {
    for (int length = 1; length <= 16; length++) {
      for (int b = 0;
          b < 128;
          b++) { // the last byte: in the tail, or (length 8 and 16) in the eight-byte loop
        byte[] input = utf8("q".repeat(length));
        input[length - 1] = (byte) b;
        byte[] expected = utf8("Q".repeat(length));
        expected[length - 1] = (byte) Character.toUpperCase(b);
        assertArrayEquals(expected, Utf8Upper.apply(input), () -> HexFormat.of().formatHex(input));
      }
    }
  }

  @Test
  void wellFormedTextGivesWhatJavaGivesForTheDecodedString() {
    Random random = new Random(7);
    for (int round = 0; round < 2_000; round++) {
      String text = RandomText.wellFormed(random, random.nextInt(100));
      assertEquals(text.toUpperCase(Locale.ROOT), upper(text));
    }
  }

  /**
   * An independent reference: the JDK's UTF-8 decoder finds each well-formed character (upper-cased
   * with String.toUpperCase) and each malformed stretch (copied as it came).
   */
  private static byte[] reference(byte[] input) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(input);
    CharBuffer chars = CharBuffer.allocate(input.length + 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (in.hasRemaining()) {
      chars.clear();
      CoderResult result = decoder.decode(in, chars, true);
      chars.flip();
      out.writeBytes(chars.toString().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      if (result.isError()) {
        for (int i = 0; i < result.length(); i++) {
          out.write(in.get());
        }
      }
    }
    return out.toByteArray();
  }

  private static Map<Integer, String> pythonUpper() throws IOException {
    Map<Integer, String> mapping = new HashMap<>();
    try (InputStream in = Utf8UpperTest.class.getResourceAsStream("/python-upper.txt")) {
      new String(in.readAllBytes(), StandardCharsets.US_ASCII)
          .lines()
          .filter(line -> !line.startsWith("#"))
          .forEach(
              line -> {
                String[] fields = line.split(" ", -1);
                String upper =
                    Arrays.stream(fields, 1, fields.length)
                        .map(hex -> Character.toString(Integer.parseInt(hex, 16)))
                        .collect(Collectors.joining());
                mapping.put(Integer.parseInt(fields[0], 16), upper);
              });
    }
    return mapping;
  }

  private static String upper(String text) {
    return new String(Utf8Upper.apply(utf8(text)), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
