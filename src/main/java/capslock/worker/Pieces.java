package capslock.worker;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Pieces of text travelling together over the event bus, to the workers and back: one
 * event-bus message carries every piece the endpoints read in one turn of their event loop.
 */
public record Pieces(List<Buffer> list) {

  /** Makes {@link Pieces} travel on {@code eventBus}; every node of a cluster registers it. */
  public static void registerCodec(EventBus eventBus) {
    eventBus.registerDefaultCodec(Pieces.class, new Codec());
  }

  public static void unregisterCodec(EventBus eventBus) {
    eventBus.unregisterDefaultCodec(Pieces.class);
  }

  /**
   * Within one JVM the pieces are handed over as they are, without a copy (the sender never
   * touches a piece once sent); between JVMs they go as a count, then each length and its bytes.
   */
  static final class Codec implements MessageCodec<Pieces, Pieces> {

    @Override
    public void encodeToWire(Buffer wire, Pieces pieces) {
      wire.appendInt(pieces.list().size());
      for (Buffer piece : pieces.list()) {
        wire.appendInt(piece.length()).appendBuffer(piece);
      }
    }

    @Override
    public Pieces decodeFromWire(int position, Buffer wire) {
      int count = wire.getInt(position);
      int at = position + 4;
      List<Buffer> list = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int length = wire.getInt(at);
        list.add(wire.getBuffer(at + 4, at + 4 + length));
        at += 4 + length;
      }
      return new Pieces(list);
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
}
