package capslock.worker;

import capslock.text.Utf8Upper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where pieces of text become their upper cases: each into a new buffer, sized
 * once for the longest upper case the text can have, written once. Pieces from this JVM's
 * endpoints get pooled direct buffers, which the endpoints write to their sockets as they are;
 * pieces from another node get heap buffers, which that node's copy to the wire leaves to the
 * garbage collector.
 */
final class UpperCasing {

  private UpperCasing() {
  }

  static List<ByteBuf> of(List<ByteBuf> texts, boolean fromWire) {
    List<ByteBuf> uppers = new ArrayList<>(texts.size());
    for (ByteBuf text : texts) {
      uppers.add(of(text, fromWire));
    }
    return uppers;
  }

  static ByteBuf of(ByteBuf text, boolean fromWire) {
    ByteBuffer in = text.nioBuffer();
    int bound = Utf8Upper.maxUpperLength(in);
    ByteBuf upper = fromWire ? Unpooled.buffer(bound) : ByteBufAllocator.DEFAULT.directBuffer(bound);
    int written = Utf8Upper.upperCase(in, upper.nioBuffer(0, bound));
    return upper.writerIndex(written);
  }
}
