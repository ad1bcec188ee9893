package capslock.text;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Byte-transparent, locale-independent full upper-casing of UTF-8.
 *
 * <p>Every well-formed character is replaced by its Unicode full upper-case mapping
 * ({@code ß -> SS}, {@code ﬁ -> FI}); every byte that is not part of a well-formed
 * character is copied unchanged, in place. Nothing is dropped and no U+FFFD is produced.
 * The mapping is per code point, so a stream can be upper-cased piece by piece, as long
 * as no character is split between pieces: {@link #incompleteTail} tells how many trailing
 * bytes to hold back for the next piece.
 */
public final class Utf8Upper {

  /** The most bytes {@link #incompleteTail} ever holds back: a 4-byte character less one. */
  public static final int MAX_HELD_BACK = 3;

  private Utf8Upper() {
  }

  /** Eight bytes at a time, for the ASCII fast path. */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** Upper-cases all of {@code in}; an incomplete character at the end is copied unchanged. */
  public static byte[] apply(byte[] in) {
    return applyInPlace(in.clone());
  }

  /**
   * Like {@link #apply}, but ASCII is upper-cased in {@code out} itself, saving a copy: give it
   * an array that nothing else reads. The result is {@code out} when the input is all ASCII.
   */
  public static byte[] applyInPlace(byte[] out) {
    int i = 0;
    for (; i + Long.BYTES <= out.length; i += Long.BYTES) {
      long eight = (long) LONGS.get(out, i);
      if ((eight & HIGH_BITS) != 0) {
        break; // not all ASCII: the byte-by-byte loop below finds where
      }
      LONGS.set(out, i, upperAscii(eight));
    }
    for (; i < out.length; i++) {
      byte b = out[i];
      if (b < 0) {
        return applyFrom(out, i); // bytes from i on are still as they came
      }
      if (b >= 'a' && b <= 'z') {
        out[i] = (byte) (b - ('a' - 'A'));
      }
    }
    return out;
  }

  /**
   * Upper-cases eight ASCII bytes at once: a byte gets its high bit set by adding 0x80 - 'a'
   * exactly when it is at least 'a', and by adding 0x80 - ('z' + 1) when it is past 'z';
   * where the first is set and the second is not, bit 5 (0x20, lower to upper) is cleared.
   */
  private static long upperAscii(long eight) {
    long atLeastA = eight + 0x1F1F1F1F1F1F1F1FL;
    long pastZ = eight + 0x0505050505050505L;
    long lower = atLeastA & ~pastZ & HIGH_BITS;
    return eight ^ (lower >>> 2);
  }

  /**
   * How many of the last bytes of {@code tail} (0 to 3) are the beginning of a character
   * that the next bytes can still complete. Bytes that can never become a valid character
   * ({@code ED A0}, {@code E0 80}, {@code F4 90}, {@code C0}, a lone continuation byte...)
   * are not counted: they are answered at once, unchanged.
   *
   * @param tail the last bytes received so far (only the last 3 are looked at)
   */
  public static int incompleteTail(byte[] tail) {
    int end = tail.length;
    for (int held = 1; held <= Math.min(MAX_HELD_BACK, end); held++) {
      int start = end - held;
      if (sequenceLength(tail[start]) > held && wellFormedPrefix(tail, start, end) == held) {
        return held;
      }
    }
    return 0;
  }

  /** The general path, from the first non-ASCII byte at {@code from}; the bytes before it are done. */
  private static byte[] applyFrom(byte[] in, int from) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 16);
    out.write(in, 0, from);
    int i = from;
    while (i < in.length) {
      int runStart = i;
      int length;
      while (i < in.length && (length = wellFormedLength(in, i)) > 0) {
        i += length;
      }
      if (i > runStart) {
        out.writeBytes(upperWellFormed(in, runStart, i));
      }
      if (i < in.length) {
        out.write(in[i++]); // not part of a well-formed character: copied as it came
      }
    }
    return out.toByteArray();
  }

  /** Well-formed UTF-8 decodes exactly, so the String round trip is lossless; ROOT keeps i -> I everywhere. */
  private static byte[] upperWellFormed(byte[] in, int from, int to) {
    String text = new String(in, from, to - from, StandardCharsets.UTF_8);
    return text.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
  }

  /** Length of the well-formed character at {@code i}, or 0 if the bytes there are not one. */
  private static int wellFormedLength(byte[] in, int i) {
    int length = sequenceLength(in[i]);
    return length > 0 && wellFormedPrefix(in, i, in.length) == length ? length : 0;
  }

  /** How many bytes a character that starts with {@code lead} has (1 to 4), or 0 if no character starts so. */
  private static int sequenceLength(byte lead) {
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
   * How many bytes from {@code start} (up to the character's length, before {@code end})
   * follow the well-formed pattern of Unicode's table 3-7. The second byte's range depends
   * on the lead byte; this is what rules out overlongs, surrogates and code points past U+10FFFF.
   */
  private static int wellFormedPrefix(byte[] in, int start, int end) {
    int lead = in[start] & 0xFF;
    int length = sequenceLength(in[start]);
    int low = 0x80;
    int high = 0xBF;
    switch (lead) {
      case 0xE0 -> low = 0xA0;   // no overlong 3-byte forms
      case 0xED -> high = 0x9F;  // no surrogates
      case 0xF0 -> low = 0x90;   // no overlong 4-byte forms
      case 0xF4 -> high = 0x8F;  // nothing past U+10FFFF
      default -> { }
    }
    int matched = 1;
    while (matched < length && start + matched < end) {
      int b = in[start + matched] & 0xFF;
      boolean fits = matched == 1 ? b >= low && b <= high : b >= 0x80 && b <= 0xBF;
      if (!fits) {
        break;
      }
      matched++;
    }
    return matched;
  }
}
