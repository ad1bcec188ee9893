package capslock.worker;

import capslock.text.Utf8Upper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where pieces of text become their upper cases. A text is upper-cased from an array
 * (its own, or a copy of its bytes) into a scratch array with room for the longest upper case it
 * can have, then copied into a new buffer of exactly its size: {@link Utf8Upper} runs far faster on
 * arrays than on direct buffers, by more than the copies cost. Pieces from this JVM's endpoints get
 * pooled direct buffers, which the endpoints write to their sockets as they are; pieces from
 * another node get heap buffers, which that node's copy to the wire leaves to the garbage
 * collector.
 *
 * <p>Not thread-safe, for its scratch arrays: one per worker verticle, whose handlers never run at
 * once.
 */
final class UpperCasing {

  /**
   * Texts up to this long (a network read is at most 64 KiB) keep their scratch arrays for the next
   * one; a longer one, which only a peer of our own could send, gets arrays for that call alone.
   */
  private static final int KEPT_BYTES = 64 * 1024;

  private byte[] text = new byte[0];
  private byte[] upper = new byte[0];

  List<ByteBuf> of(List<ByteBuf> texts, boolean fromWire) {
    List<ByteBuf> uppers = new ArrayList<>(texts.size());
    for (ByteBuf text : texts) {
      uppers.add(of(text, fromWire));
    }
    return uppers;
  }

  /** The upper case of {@code text}'s readable bytes, which stay the caller's. */
  ByteBuf of(ByteBuf text, boolean fromWire) {
    int length = text.readableBytes();
    byte[] in;
    int from;
    if (text.hasArray()) {
      in = text.array();
      from = text.arrayOffset() + text.readerIndex();
    } else {
      in = textScratch(length);
      from = 0;
      text.getBytes(text.readerIndex(), in, 0, length);
    }
    byte[] out = upperScratch(Utf8Upper.MAX_GROWTH * length);
    int written = Utf8Upper.upperCase(in, from, from + length, out, 0);
    return allocate(written, fromWire).writeBytes(out, 0, written);
  }

  private byte[] textScratch(int length) {
    if (length > KEPT_BYTES) {
      return new byte[length];
    }
    if (text.length < length) {
      text = new byte[length];
    }
    return text;
  }

  private byte[] upperScratch(int length) {
    if (length > Utf8Upper.MAX_GROWTH * KEPT_BYTES) {
      return new byte[length];
    }
    if (upper.length < length) {
      upper = new byte[length];
    }
    return upper;
  }

  private static ByteBuf allocate(int capacity, boolean fromWire) {
    return fromWire ? Unpooled.buffer(capacity) : ByteBufAllocator.DEFAULT.directBuffer(capacity);
  }
}
