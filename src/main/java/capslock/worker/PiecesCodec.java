package capslock.worker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link Pieces} travel on the event bus. Within one JVM they are handed over as they are, with
 * no copy: the same object goes to the worker and comes back as the reply. Between nodes they go as
 * a flag (request or answer), a count, then each length and its bytes; the receiving side reads
 * them into buffers of its own.
 */
final class PiecesCodec implements MessageCodec<Pieces, Pieces> {

  private static final byte REQUEST = 0;
  private static final byte ANSWER = 1;

  @Override
  public void encodeToWire(Buffer wire, Pieces pieces) {
    Pieces.Wire out = pieces.forWire();
    wire.appendByte(out.answer() ? ANSWER : REQUEST).appendInt(out.pieces().size());
    for (byte[] piece : out.pieces()) {
      wire.appendInt(piece.length).appendBytes(piece);
    }
  }

  @Override
  public Pieces decodeFromWire(int position, Buffer wire) {
    boolean answer = wire.getByte(position) == ANSWER;
    int count = wire.getInt(position + 1);
    int at = position + 5;
    List<ByteBuf> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = wire.getInt(at);
      list.add(Unpooled.wrappedBuffer(wire.getBytes(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    return answer ? Pieces.answerFromWire(list) : Pieces.requestFromWire(list);
  }

  @Override
  public Pieces transform(Pieces pieces) {
    return pieces;
  }

  @Override
  public String name() {
    return "capslock.pieces";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
