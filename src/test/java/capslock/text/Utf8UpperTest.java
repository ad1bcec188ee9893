package capslock.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
  @CsvSource(delimiter = '|', value = {
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
      assertEquals(expected, upper(character), () -> "U+" + HexFormat.of().toHexDigits(character.codePointAt(0)));
      checked++;
    }
    assertEquals(true, checked > 140_000, "checked " + checked + " code points");
  }

  @ParameterizedTest(name = "{0} holds back {1}")
  @CsvSource({
      "E2, 1", "E2 82, 2", "F0 9F, 2", "F0 9F 98, 3", "C3, 1", "61 C3, 1", "61 E2 82, 2", "61 F0 9F 98, 3",
      "ED A0, 0", "ED 9F, 2", "E0 80, 0", "E0 A0, 2", "F4 90, 0", "F4 8F, 2", "F0 80, 0",
      "C0, 0", "C1, 0", "F5, 0", "FF, 0", "80, 0", "BF BF, 0", "61, 0",
      "E2 82 AC, 0", "C3 A9, 0", "F0 9F 98 80, 0", "E2 82 41, 0",
  })
  void holdsBackOnlyBytesThatCanStillBecomeACharacter(String hex, int held) {
    assertEquals(held, Utf8Upper.incompleteTail(hex(hex)));
  }

  @Test
  void holdsBackNothingFromNothing() {
    assertEquals(0, Utf8Upper.incompleteTail(new byte[0]));
  }

  @Test
  void anyByteStringCutAnywhereGivesTheSameAsInOnePiece() {
    Random random = new Random(20261125);
    for (int round = 0; round < 2_000; round++) {
      byte[] input = RandomText.bytes(random, random.nextInt(300));
      assertArrayEquals(Utf8Upper.apply(input), streamed(input, random), () -> HexFormat.of().formatHex(input));
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

  /** Upper-cases {@code input} as the TCP endpoint does: in random pieces, holding back split characters. */
  private static byte[] streamed(byte[] input, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] held = new byte[0];
    int at = 0;
    while (at < input.length) {
      int next = Math.min(input.length, at + 1 + random.nextInt(8));
      byte[] text = concat(held, Arrays.copyOfRange(input, at, next));
      int keep = Utf8Upper.incompleteTail(Arrays.copyOfRange(text, Math.max(0, text.length - 3), text.length));
      out.writeBytes(Utf8Upper.apply(Arrays.copyOfRange(text, 0, text.length - keep)));
      held = Arrays.copyOfRange(text, text.length - keep, text.length);
      at = next;
    }
    out.writeBytes(held); // end of input: an incomplete character goes back as it came
    return out.toByteArray();
  }

  private static Map<Integer, String> pythonUpper() throws IOException {
    Map<Integer, String> mapping = new HashMap<>();
    try (InputStream in = Utf8UpperTest.class.getResourceAsStream("/python-upper.txt")) {
      new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
          .filter(line -> !line.startsWith("#"))
          .forEach(line -> {
            String[] fields = line.split(" ");
            String upper = Arrays.stream(fields, 1, fields.length)
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
