package capslock.text;

/** What makes UTF-8 well formed (Unicode's table 3-7), byte by byte. */
final class Utf8 {

  private Utf8() {}

  /**
   * How many bytes a character that starts with {@code lead} has (1 to 4), or 0 if no character
   * starts so.
   */
  static int sequenceLength(byte lead) {
    int b = lead & 0xFF;
    if (b < 0x80) {
      return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      return 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      return 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      return 4;
    }
    return 0; // a continuation byte, C0, C1 or F5..FF
  }

  /**
   * How many bytes from {@code start} (up to the character's length, before {@code end}) follow the
   * well-formed pattern. The second byte's range depends on the lead byte: this is what rules out
   * overlongs, surrogates and code points past U+10FFFF.
   */
  static int wellFormedPrefix(byte[] bytes, int start, int end) {
    int lead = bytes[start] & 0xFF;
    int length = sequenceLength(bytes[start]);
    int low = 0x80;
    int high = 0xBF;
    switch (lead) {
      case 0xE0 -> low = 0xA0; // no overlong 3-byte forms
      case 0xED -> high = 0x9F; // no surrogates
      case 0xF0 -> low = 0x90; // no overlong 4-byte forms
      case 0xF4 -> high = 0x8F; // nothing past U+10FFFF
      default -> {}
    }
    int matched = 1;
    while (matched < length && start + matched < end) {
      int b = bytes[start + matched] & 0xFF;
      boolean fits = matched == 1 ? b >= low && b <= high : b >= 0x80 && b <= 0xBF;
      if (!fits) {
        break;
      }
      matched++;
    }
    return matched;
  }
}
