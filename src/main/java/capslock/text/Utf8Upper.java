package capslock.text;

import capslock.protocol.Protocol;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Byte-transparent, locale-independent full upper-casing of UTF-8, in one pass over the bytes.
 *
 * <p>Every well-formed character is replaced by its Unicode full upper-case mapping ({@code ß ->
 * SS}, {@code ﬁ -> FI}), looked up in {@link UpperCaseTable}; every byte that is not part of a
 * well-formed character is copied unchanged, in place. Nothing is dropped and no U+FFFD is
 * produced. ASCII goes eight bytes at a time. The work is linear in the bytes whatever the text,
 * and the output is written once into a buffer sized once: the upper case is at most {@link
 * #MAX_GROWTH} times as long as the text.
 *
 * <p>The mapping is per code point, so a stream can be upper-cased piece by piece, as long as no
 * character is split between pieces: {@link SplitCharacter} holds back the start of one.
 *
 * <p>It works on byte arrays, not on buffers: the JIT keeps an array's length in a register, but
 * after every store into a direct buffer it reads the buffers' address, limit and byte order again,
 * since a store to native memory may have changed them. On the kit's mixed text the loop ran 1.6
 * times as fast from and into arrays as from and into direct buffers (docs/PERFORMANCE.md, "The
 * transform"); copying a network read into an array and its upper case out costs far less.
 */
public final class Utf8Upper {

  /** The most bytes of upper case per byte of text (Unicode's worst: ΐ, 2 bytes, becomes 6). */
  public static final int MAX_GROWTH = Protocol.MAX_GROWTH;

  private static final long HIGH_BITS = 0x8080808080808080L;

  /** Eight bytes of an array as one little-endian long (its first byte lowest), and back. */
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Four bytes of an array as one little-endian int. */
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Room for four two-byte characters grown the most (6 bytes each), and the last eight-byte store.
   */
  private static final int FOUR_TWO_BYTE_ROOM = 4 * 6 + Long.BYTES;

  /**
   * What a lead byte says of its character, packed: its length in bytes (bits 0-2; 1 for a byte
   * that starts no character, which then fails the range below), the mask of its payload bits (bits
   * 3-9), and the range the code point must be in (bits 10-30 and 31-51): this is where overlong
   * forms, surrogates ({@code ED A0..}) and code points past U+10FFFF are ruled out.
   */
  private static final long[] LEADS = new long[256];

  /**
   * Per length: the bits of the continuation bytes that must read 10 (the lead byte is in the low
   * byte).
   */
  private static final int[] CONTINUATIONS = {0, 0, 0xC000, 0xC0C000, 0xC0C0C000};

  /** Per length: the low bytes of an int that the character fills. */
  private static final long[] LOW_BYTES = {0, 0xFFL, 0xFFFFL, 0xFFFFFFL, 0xFFFFFFFFL};

  static {
    for (int b = 0; b < 256; b++) {
      int length = Utf8.sequenceLength((byte) b);
      int min =
          switch (b) {
            case 0xE0 -> 0x800;
            case 0xF0 -> 0x10000;
            default -> length == 2 ? 0x80 : length == 3 ? 0x800 : length == 4 ? 0x10000 : 0;
          };
      int max =
          switch (b) {
            case 0xED -> 0xD7FF;
            default ->
                length == 1
                    ? 0x7F
                    : length == 2 ? 0x7FF : length == 3 ? 0xFFFF : length == 4 ? 0x10FFFF : -1;
          };
      int payload = length == 1 ? 0x7F : length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07;
      if (length == 0) { // never a character: a range nothing is in
        length = 1;
        min = 1;
        max = 0;
      }
      LEADS[b] = length | (long) payload << 3 | (long) min << 10 | (long) (max & 0x1FFFFF) << 31;
    }
  }

  static {
    if (UpperCaseTable.MAX_GROWTH > MAX_GROWTH) {
      throw new IllegalStateException(
          "this JDK's case data grows a character " + UpperCaseTable.MAX_GROWTH + " times");
    }
  }

  private Utf8Upper() {}

  /**
   * The upper case of all of {@code text}; an incomplete character at the end is copied unchanged.
   */
  public static byte[] apply(byte[] text) {
    byte[] upper = new byte[MAX_GROWTH * text.length];
    return Arrays.copyOf(upper, upperCase(text, 0, text.length, upper, 0));
  }

  /**
   * Upper-cases {@code text[from, to)} into {@code upper} from {@code at}, which must leave room
   * for the longest upper case the text can have: {@link #MAX_GROWTH} times its length. Bytes past
   * the upper case, up to that room, may be overwritten.
   *
   * @return the number of bytes written
   */
  public static int upperCase(byte[] text, int from, int to, byte[] upper, int at) {
    Objects.checkFromToIndex(from, to, text.length);
    int room = MAX_GROWTH * (to - from);
    Objects.checkFromIndexSize(at, room, upper.length);
    return transform(text, from, to, upper, at, at + room);
  }

  /**
   * The loop itself, with absolute indexes: {@code in[i, end)} to {@code out[start, room)}; returns
   * the bytes written. ASCII goes eight bytes at a time; two-byte characters (Latin, Greek,
   * Cyrillic) and three-byte ones (CJK, Hangul, most of Asia) each in a loop of their own that
   * tests nothing else, the two-byte ones four at a time where four come together; and anything
   * else one character at a time, read as one little-endian int (its first byte lowest) and
   * recognised by the bit pattern of its bytes; the code point it gives must be in its length's
   * range, which rules out overlong forms, surrogates and code points past U+10FFFF.
   */
  // each run's test reads the next eight bytes it goes on with
  @SuppressWarnings("AssignmentExpression")
  static int transform(byte[] in, int i, int end, byte[] out, int start, int room) {
    int o = start;
    while (i < end) {
      if (i + Long.BYTES <= end) {
        long eight = (long) LONG.get(in, i);
        if ((eight & HIGH_BITS) == 0) { // an ASCII run: eight bytes at a time
          do {
            LONG.set(out, o, upperAscii(eight));
            i += Long.BYTES;
            o += Long.BYTES;
          } while (i + Long.BYTES <= end && ((eight = (long) LONG.get(in, i)) & HIGH_BITS) == 0);
          continue;
        }
        if (isTwoByteCharacter(eight) && o + FOUR_TWO_BYTE_ROOM <= room) { // Greek, Cyrillic, ß...
          do {
            if (areFourTwoByteCharacters(eight)) {
              for (int k = 0; k < 4; k++, eight >>>= 16) {
                long entry = UpperCaseTable.shortEntry(codePoint2((int) eight));
                // what lands past the upper case is overwritten by what comes next
                LONG.set(out, o, entry);
                o += UpperCaseTable.length(entry);
              }
              i += Long.BYTES;
            } else { // the last few of a word
              long entry = UpperCaseTable.shortEntry(codePoint2((int) eight));
              LONG.set(out, o, entry);
              o += UpperCaseTable.length(entry);
              i += 2;
            }
          } while (i + Long.BYTES <= end
              && o + FOUR_TWO_BYTE_ROOM <= room
              && isTwoByteCharacter(eight = (long) LONG.get(in, i)));
          continue;
        }
        if (isThreeByteCharacter(eight) && o + Long.BYTES <= room) { // CJK, Hangul, Indic...
          do {
            long entry = UpperCaseTable.entry(codePoint3((int) eight));
            long value = entry != 0 ? entry : (eight & 0xFFFFFFL) | 3L << 56;
            LONG.set(out, o, value);
            o += UpperCaseTable.length(value);
            i += 3;
          } while (i + Long.BYTES <= end
              && o + Long.BYTES <= room
              && isThreeByteCharacter(eight = (long) LONG.get(in, i)));
          continue;
        }
        int asciiBytes = Long.numberOfTrailingZeros(eight & HIGH_BITS) >>> 3;
        if (asciiBytes > 0 && o + Long.BYTES <= room) { // the ASCII before the next character
          // the bytes past them may come out wrong (a carry only goes up): what comes next
          // overwrites them
          LONG.set(out, o, upperAscii(eight));
          i += asciiBytes;
          o += asciiBytes;
          continue;
        }
      }
      int bytes = i + Integer.BYTES <= end ? (int) INT.get(in, i) : lastBytes(in, i, end);
      long lead = LEADS[bytes & 0xFF];
      int length = (int) lead & 7;
      int codePoint =
          ((bytes & ((int) lead >>> 3) & 0x7F) << 18
                  | ((bytes >>> 8) & 0x3F) << 12
                  | ((bytes >>> 16) & 0x3F) << 6
                  | ((bytes >>> 24) & 0x3F))
              >>> (6 * (4 - length));
      int continuations = CONTINUATIONS[length];
      boolean wellFormed =
          (bytes & continuations) == (continuations & 0x80808080)
              && codePoint >= (int) ((lead >>> 10) & 0x1FFFFF)
              && codePoint <= (int) ((lead >>> 31) & 0x1FFFFF);
      long entry = UpperCaseTable.entry(wellFormed ? codePoint : 0);
      long value =
          !wellFormed
              ? (bytes & 0xFF) | 1L << 56 // not a character: its first byte as it came
              : entry != 0 ? entry : (bytes & LOW_BYTES[length]) | (long) length << 56;
      if (o + Long.BYTES <= room) {
        LONG.set(out, o, value);
      } else {
        for (int k = 0; k < UpperCaseTable.length(value); k++) {
          out[o + k] = (byte) (value >>> (8 * k));
        }
      }
      o += UpperCaseTable.length(value);
      i += wellFormed ? length : 1;
    }
    return o - start;
  }

  /**
   * Whether eight bytes are four two-byte characters: each pair {@code 110xxxxx 10xxxxxx}, and each
   * lead byte's bits 1 to 4 not all zero (C0 and C1 are overlong), tested for the four at once:
   * adding 0x1E to those bits (at most 0x1E) reaches bit 5 exactly when they are not 0.
   */
  private static boolean areFourTwoByteCharacters(long eight) {
    long leads = eight & 0x001E001E001E001EL;
    return (eight & 0xC0E0C0E0C0E0C0E0L) == 0x80C080C080C080C0L
        && ((leads + 0x001E001E001E001EL) & 0x0020002000200020L) == 0x0020002000200020L;
  }

  /**
   * Whether eight bytes start with a two-byte character: {@code 110xxxxx 10xxxxxx}, the lead byte
   * neither C0 nor C1 (overlong).
   */
  private static boolean isTwoByteCharacter(long eight) {
    return (eight & 0xC0E0L) == 0x80C0L && (eight & 0x1EL) != 0;
  }

  /**
   * Whether eight bytes start with a three-byte character: {@code 1110xxxx 10xxxxxx 10xxxxxx}, not
   * overlong (E0 needs a second byte of A0 or more: E0 81 A1 is no "a"). A surrogate (ED A0..BF)
   * passes, though it is not a character: it has no upper case, so it is copied as it came, which
   * is what happens to bytes that are not a character.
   */
  private static boolean isThreeByteCharacter(long eight) {
    return (eight & 0xC0C0F0L) == 0x8080E0L && (eight & 0x200FL) != 0;
  }

  private static int codePoint3(int bytes) {
    return ((bytes & 0x0F) << 12) | ((bytes >>> 2) & 0xFC0) | ((bytes >>> 16) & 0x3F);
  }

  private static int codePoint2(int bytes) {
    return ((bytes & 0x1F) << 6) | ((bytes >>> 8) & 0x3F);
  }

  /**
   * The last 1 to 3 bytes, little-endian, as a little-endian int would hold them with zeros after.
   */
  private static int lastBytes(byte[] in, int i, int end) {
    int bytes = 0;
    for (int k = 0; i + k < end; k++) {
      bytes |= (in[i + k] & 0xFF) << (8 * k);
    }
    return bytes;
  }

  /**
   * Upper-cases eight ASCII bytes at once: a byte gets its high bit set by adding 0x80 - 'a'
   * exactly when it is at least 'a', and by adding 0x80 - ('z' + 1) when it is past 'z'; where the
   * first is set and the second is not, bit 5 (0x20, lower to upper) is cleared. No byte carries
   * into the next, since none is above 0x7F.
   */
  private static long upperAscii(long eight) {
    long atLeastA = eight + 0x1F1F1F1F1F1F1F1FL;
    long pastZ = eight + 0x0505050505050505L;
    long lower = atLeastA & ~pastZ & HIGH_BITS;
    return eight ^ (lower >>> 2);
  }
}
