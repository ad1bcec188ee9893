package capslock.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import capslock.text.Utf8Upper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pieces become their upper cases through scratch arrays: exact, whatever buffer they came in. */
class UpperCasingTest {

  private final UpperCasing upperCasing = new UpperCasing();
  private final List<ByteBuf> buffers = new ArrayList<>();

  @AfterEach
  void releaseEveryBuffer() {
    buffers.forEach(ByteBuf::release);
  }

  @Test
  void aDirectTextGivesADirectUpperCaseOfExactlyItsLength() {
    ByteBuf text = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(utf8("straße ΐ 한국"));
    ByteBuf upper = upperCasing.of(text, false);
    assertTrue(upper.isDirect());
    assertEquals("straße ΐ 한국".toUpperCase(Locale.ROOT), upper.toString(StandardCharsets.UTF_8));
    assertEquals(upper.readableBytes(), upper.capacity(), "sized once, to the upper case");
    assertEquals(utf8("straße ΐ 한국").length, text.readableBytes(), "the text stays unread");
    assertTrue(text.release() && upper.release());
  }

  @Test
  void aHeapTextIsReadFromItsReadableBytesAloneAndGivesAHeapUpperCase() {
    byte[] around = utf8("zzzz-grüße, ωμέγα-yyyy");
    ByteBuf slice = Unpooled.wrappedBuffer(around).slice(3, around.length - 8).skipBytes(2);
    ByteBuf upper = kept(upperCasing.of(slice, true));
    assertFalse(upper.isDirect());
    assertEquals("GRÜSSE, ΩΜΈΓΑ", upper.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aShortTextAfterALongOneGetsNothingOfTheLongOne() {
    byte[] longText = utf8("ΐ".repeat(20_000));
    ByteBuf first = kept(upperCasing.of(direct(longText), true));
    assertArrayEquals(Utf8Upper.apply(longText), ByteBufUtil.getBytes(first));
    List<ByteBuf> uppers = upperCasing.of(List.of(direct(utf8("ab")), Unpooled.EMPTY_BUFFER), true);
    buffers.addAll(uppers);
    assertEquals("AB", uppers.get(0).toString(StandardCharsets.UTF_8));
    assertEquals(0, uppers.get(1).readableBytes());
  }

  @Test
  void aTextLongerThanTheKeptScratchIsUpperCasedWhole() {
    byte[] text = utf8("ß".repeat(50_000) + "end"); // 100,003 bytes, past the 64 KiB kept
    ByteBuf upper = kept(upperCasing.of(direct(text), true));
    assertEquals("SS".repeat(50_000) + "END", upper.toString(StandardCharsets.UTF_8));
    ByteBuf next = kept(upperCasing.of(direct(utf8("ß")), true));
    assertEquals("SS", next.toString(StandardCharsets.UTF_8));
  }

  /** A direct buffer holding {@code bytes}, released after the test. */
  private ByteBuf direct(byte[] bytes) {
    return kept(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
  }

  private ByteBuf kept(ByteBuf buffer) {
    buffers.add(buffer);
    return buffer;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
