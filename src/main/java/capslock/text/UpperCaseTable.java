package capslock.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The full upper-case mapping of every Unicode code point, as the UTF-8 bytes of its upper case, in
 * a two-stage table: the code point's high bits pick a block of 64 entries, its low 6 bits (a UTF-8
 * continuation byte's payload) the entry. Blocks where nothing changes (almost all of them) share
 * one block of zeros, so the whole table is about 60 KB.
 *
 * <p>An entry is 0 when the code point is its own upper case; otherwise it holds the length of the
 * upper case in bytes in its top byte and the bytes themselves in its low bytes, the first in the
 * lowest, ready to be stored with one little-endian {@code putLong}.
 *
 * <p>Built once, when the class is loaded, from the JDK's own case data ({@code
 * String.toUpperCase(Locale.ROOT)}, which has no context rules and so maps each code point alone),
 * for the few thousand code points that can change: about 30 ms.
 */
final class UpperCaseTable {

  /** Code points per block: the 6 bits of payload of one UTF-8 continuation byte. */
  static final int BLOCK_BITS = 6;

  private static final int BLOCK = 1 << BLOCK_BITS;
  private static final int CODE_POINTS = Character.MAX_CODE_POINT + 1;

  /**
   * Unicode gives upper cases only to characters of planes 0 and 1 (planes 2 and 3 are CJK
   * ideographs, 14 tags and variation selectors, 15 and 16 private use), so only those are looked
   * at; the test against Python's {@code str.upper()} over every code point checks it.
   */
  private static final int CASED_PLANES_END = 0x20000;

  /** The most bytes an entry holds: 7 (its eighth byte is the length). */
  private static final int MAX_ENTRY_BYTES = 7;

  /** For each block of code points, where its entries start in {@link #ENTRIES}. */
  private static final char[] BLOCK_START = new char[CODE_POINTS >> BLOCK_BITS];

  private static final long[] ENTRIES;

  /**
   * The most bytes a character's upper case has, per byte of the character: Unicode's worst is ΐ, 2
   * -> 6.
   */
  static final int MAX_GROWTH;

  /**
   * The code points below U+0800 (those of one or two bytes: ASCII, Latin, Greek, Cyrillic,
   * Armenian, Hebrew, Arabic...) have a flat table of their own, where an entry is never 0: a
   * character that stays as it is has itself as its upper case. The loop then writes every such
   * character the same way, without a branch on whether it changes.
   */
  private static final long[] SHORT = new long[0x800];

  static {
    long[] entries = new long[BLOCK * 128];
    int used = BLOCK; // block 0 of the entries is the shared block of zeros
    int growth = 1;
    for (int codePoint = 0; codePoint < CASED_PLANES_END; codePoint++) {
      if (!mayChange(codePoint)) {
        continue;
      }
      String one = Character.toString(codePoint);
      String upper = one.toUpperCase(Locale.ROOT);
      if (upper.equals(one)) {
        continue;
      }
      int block = codePoint >> BLOCK_BITS;
      if (BLOCK_START[block] == 0) { // the first change in this block: it gets entries of its own
        if (used + BLOCK > Character.MAX_VALUE) {
          throw new IllegalStateException("more blocks of upper cases than the table can index");
        }
        if (used + BLOCK > entries.length) {
          entries = Arrays.copyOf(entries, entries.length * 2);
        }
        BLOCK_START[block] = (char) used;
        used += BLOCK;
      }
      byte[] bytes = upper.getBytes(StandardCharsets.UTF_8);
      entries[BLOCK_START[block] + (codePoint & (BLOCK - 1))] = entry(bytes);
      growth = Math.max(growth, (bytes.length + utf8Length(codePoint) - 1) / utf8Length(codePoint));
    }
    ENTRIES = Arrays.copyOf(entries, used);
    MAX_GROWTH = growth;
    for (int codePoint = 0; codePoint < SHORT.length; codePoint++) {
      long upper = entry(codePoint);
      SHORT[codePoint] =
          upper != 0
              ? upper
              : entry(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Whether a code point can have an upper case other than itself: a simple mapping, or a lowercase
   * or titlecase letter (the full mappings of SpecialCasing, ß -> SS, ᾼ -> ΑΙ, are all for these).
   * A quick filter, so that only a few thousand code points are upper-cased as strings when the
   * class loads.
   */
  private static boolean mayChange(int codePoint) {
    return Character.toUpperCase(codePoint) != codePoint
        || Character.isLowerCase(codePoint)
        || Character.isTitleCase(codePoint);
  }

  private UpperCaseTable() {}

  /** The entry of {@code codePoint} (0: unchanged); see the class comment for its layout. */
  static long entry(int codePoint) {
    return ENTRIES[BLOCK_START[codePoint >>> BLOCK_BITS] + (codePoint & (BLOCK - 1))];
  }

  /** The entry of a code point below U+0800, never 0: see {@link #SHORT}. */
  static long shortEntry(int codePoint) {
    return SHORT[codePoint];
  }

  /** How many bytes an entry's upper case has. */
  static int length(long entry) {
    return (int) (entry >>> 56);
  }

  private static long entry(byte[] bytes) {
    if (bytes.length > MAX_ENTRY_BYTES) {
      throw new IllegalStateException(
          "an upper case of " + bytes.length + " bytes does not fit the table");
    }
    long entry = (long) bytes.length << 56;
    for (int i = 0; i < bytes.length; i++) {
      entry |= (bytes[i] & 0xFFL) << (8 * i);
    }
    return entry;
  }

  private static int utf8Length(int codePoint) {
    return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }
}
