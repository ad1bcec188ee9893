package capslock.text;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a stream, read by read, into pieces that can each be upper-cased alone: no piece ends inside
 * a character. The start of a character split between two reads (at most 3 bytes) is held back
 * until the next read completes it; bytes that can never become a character ({@code ED A0}, {@code
 * E0 80}, {@code F4 90}, {@code C0}, a lone continuation byte...) are never held, so they are
 * answered at once, unchanged. One per stream, used from one thread.
 */
public final class SplitCharacter {

  /** The most bytes ever held back: a 4-byte character less one. */
  public static final int MAX_HELD = 3;

  private static final byte[] NOTHING = new byte[0];

  /**
   * What to upper-case of one read, in this order: {@code before} (the character that was held
   * back, now complete, or held bytes that can never complete; null when none), then the read's
   * bytes from {@code start} to {@code end}. The read's bytes past {@code end} are now held.
   */
  @SuppressWarnings("ArrayRecordComponent") // never compared: bytes to upper-case first
  public record Cut(byte[] before, int start, int end) {}

  // what is held, and room for the bytes that complete it
  private final byte[] held = new byte[2 * MAX_HELD];
  private int count;

  /**
   * Whether the next read, ending in {@code lastByte}, is a piece as it is: nothing is held before
   * it, and it ends in ASCII, as most reads do. {@link #next} need not be asked for it then.
   */
  public boolean takesWhole(byte lastByte) {
    return count == 0 && lastByte >= 0;
  }

  /** Takes the next read, its bytes from position to limit (neither is moved). */
  public Cut next(ByteBuffer read) {
    int from = read.position();
    int to = read.limit();
    byte[] before = null;
    int start = from;
    if (count > 0) {
      int needed = Utf8.sequenceLength(held[0]) - count;
      int taken = Math.min(needed, to - from);
      for (int k = 0; k < taken; k++) {
        held[count + k] = read.get(from + k);
      }
      int wellFormed = Utf8.wellFormedPrefix(held, 0, count + taken);
      if (wellFormed == count + taken && taken < needed) {
        count += taken; // still only the start of a character: wait for more
        return new Cut(null, to, to);
      }
      if (wellFormed == count + needed) {
        before = Arrays.copyOf(held, count + needed);
        start = from + needed;
      } else {
        before = Arrays.copyOf(held, count); // can never become a character: as it came
      }
      count = 0;
    }
    int tail = incompleteTail(read, start, to);
    for (int k = 0; k < tail; k++) {
      held[k] = read.get(to - tail + k);
    }
    count = tail;
    return new Cut(before, start, to - tail);
  }

  /**
   * At the end of the stream: what is held (the start of a character that never came whole), to
   * send as it is.
   */
  public byte[] rest() {
    byte[] rest = count == 0 ? NOTHING : Arrays.copyOf(held, count);
    count = 0;
    return rest;
  }

  /** How many bytes are held back now. */
  public int held() {
    return count;
  }

  /**
   * How many of the last bytes of {@code bytes[from, to)} (0 to 3) are the start of a character
   * that the next bytes can still complete.
   */
  static int incompleteTail(ByteBuffer bytes, int from, int to) {
    if (to == from || bytes.get(to - 1) >= 0) { // ends in ASCII, as most reads do: nothing to hold
      return 0;
    }
    int length = Math.min(MAX_HELD, to - from);
    byte[] tail = new byte[length];
    for (int k = 0; k < length; k++) {
      tail[k] = bytes.get(to - length + k);
    }
    for (int held = 1; held <= length; held++) {
      int start = length - held;
      if (Utf8.sequenceLength(tail[start]) > held
          && Utf8.wellFormedPrefix(tail, start, length) == held) {
        return held;
      }
    }
    return 0;
  }
}
