package capslock.worker;

import capslock.text.Utf8Upper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where pieces of text become their upper cases: each into a new buffer, sized once
 * for the longest upper case the text can have, written once. Pieces from this JVM's endpoints get
 * pooled direct buffers, which the endpoints write to their sockets as they are; pieces from
 * another node get heap buffers, which that node's copy to the wire leaves to the garbage
 * collector.
 */
final class UpperCasing {

  private UpperCasing() {}

  static List<ByteBuf> of(List<ByteBuf> texts, boolean fromWire) {
    List<ByteBuf> uppers = new ArrayList<>(texts.size());
    for (ByteBuf text : texts) {
      uppers.add(of(text, fromWire));
    }
    return uppers;
  }

  /**
   * ASCII first, into a buffer of the text's own length: most text is ASCII, and then no pass is
   * spent sizing its upper case. Other text gets a buffer sized for its longest upper case, and is
   * upper-cased there from its start (what the first try did is thrown away, not copied).
   */
  static ByteBuf of(ByteBuf text, boolean fromWire) {
    ByteBuffer in = text.nioBuffer();
    int length = in.remaining();
    ByteBuf upper = allocate(length, fromWire);
    if (Utf8Upper.upperCaseIfAscii(in, upper.nioBuffer(0, length))) {
      return upper.writerIndex(length);
    }
    upper.release();
    int bound = Utf8Upper.maxUpperLength(in);
    upper = allocate(bound, fromWire);
    int written = Utf8Upper.upperCase(in, upper.nioBuffer(0, bound));
    return upper.writerIndex(written);
  }

  private static ByteBuf allocate(int capacity, boolean fromWire) {
    return fromWire ? Unpooled.buffer(capacity) : ByteBufAllocator.DEFAULT.directBuffer(capacity);
  }
}
