package capslock.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Seeded random test input: well-formed text from many scripts, and byte strings that mix it with
 * invalid UTF-8.
 */
public final class RandomText {

  private static final String[] SAMPLES = {
    "hello ", "World ", "straße ", "ﬁ", "ǰ", "ΐ", "ŉ", "한국어 ", "漢字", "😀", "é", "i", "İ", "ﬃ", "\n",
    "Ǆǅǆ",
  };

  private static final byte[][] INVALID = {
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xE0, (byte) 0x80},
    {(byte) 0xF4, (byte) 0x90},
    {(byte) 0xC0},
    {(byte) 0xC1},
    {(byte) 0xFF},
    {(byte) 0xF5},
    {(byte) 0x80},
    {(byte) 0xBF},
    {(byte) 0xE2, (byte) 0x82},
    {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
    {(byte) 0xC3},
  };

  private RandomText() {}

  /**
   * About {@code length} bytes: well-formed text, random code points, invalid sequences and raw
   * random bytes.
   */
  public static byte[] bytes(Random random, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 8);
    while (out.size() < length) {
      switch (random.nextInt(4)) {
        case 0 ->
            out.writeBytes(
                wellFormed(random, 1 + random.nextInt(4)).getBytes(StandardCharsets.UTF_8));
        case 1 -> out.writeBytes(INVALID[random.nextInt(INVALID.length)]);
        case 2 -> out.write(random.nextInt(256));
        default ->
            out.writeBytes(
                SAMPLES[random.nextInt(SAMPLES.length)].getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  /** {@code count} random characters from all planes, mostly cased scripts. */
  public static String wellFormed(Random random, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      int cp =
          switch (random.nextInt(4)) {
            case 0 -> 0x20 + random.nextInt(0x5F);
            case 1 -> 0xA0 + random.nextInt(0x2000);
            case 2 -> random.nextInt(Character.MAX_CODE_POINT + 1);
            default -> SAMPLES[random.nextInt(SAMPLES.length)].codePointAt(0);
          };
      if (Character.getType(cp) != Character.SURROGATE) {
        text.appendCodePoint(cp);
      }
    }
    return text.toString();
  }
}
