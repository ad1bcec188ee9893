package capslock.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiecesTest {

  private final Pieces.Codec codec = new Pieces.Codec();

  @Test
  void crossesTheWireWhole() {
    Pieces pieces = new Pieces(List.of(Buffer.buffer("straße"), Buffer.buffer(), Buffer.buffer(new byte[] {(byte) 0xFF, 'a'})));
    Buffer wire = Buffer.buffer("header");
    codec.encodeToWire(wire, pieces);
    assertEquals(pieces, codec.decodeFromWire("header".length(), wire));
  }

  @Test
  void isHandedOverWithoutACopyWithinOneJvm() {
    Pieces pieces = new Pieces(List.of(Buffer.buffer("x")));
    assertSame(pieces, codec.transform(pieces));
  }

  @Test
  void theWorkerAnswersEachPieceInOrder() {
    Pieces upper = UppercaseVerticle.upper(new Pieces(List.of(Buffer.buffer("a"), Buffer.buffer("ß"), Buffer.buffer("ǰ"))));
    assertEquals(List.of(Buffer.buffer("A"), Buffer.buffer("SS"), Buffer.buffer("J̌")), upper.list());
  }
}
