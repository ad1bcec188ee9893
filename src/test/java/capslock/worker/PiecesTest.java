package capslock.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who owns the pieces' buffers at each step, so that each is released exactly once, on every path.
 */
class PiecesTest {

  private final PiecesCodec codec = new PiecesCodec();

  @Test
  void aWorkerAnswersEachPieceInOrderAndTheSenderGetsItsTextsBack() {
    List<ByteBuf> texts = texts("a", "ß", "ǰ");
    Pieces request = Pieces.of(texts);
    assertTrue(request.start());
    assertTrue(request.finish(new UpperCasing().of(request.texts(), false)));
    List<ByteBuf> uppers = request.takeUppers();
    assertEquals(List.of("A", "SS", "J̌"), uppers.stream().map(PiecesTest::text).toList());
    assertSame(texts, request.reclaim());
    release(uppers);
    release(texts);
    assertTrue(allReleased(texts) && allReleased(uppers));
  }

  @Test
  void aRequestGivenUpBeforeAWorkerTookItIsNotWorkedOn() {
    List<ByteBuf> texts = texts("late");
    Pieces request = Pieces.of(texts);
    assertSame(texts, request.reclaim());
    assertFalse(request.start(), "the worker finds it given up");
    release(texts);
    assertTrue(allReleased(texts));
  }

  @Test
  void aRequestGivenUpWhileAWorkerReadsItLeavesCopiesToTheSenderAndTheRestToTheWorker() {
    List<ByteBuf> texts = texts("slow");
    Pieces request = Pieces.of(texts);
    assertTrue(request.start());
    List<ByteBuf> copies = request.reclaim();
    assertNotSame(texts, copies);
    assertEquals("slow", text(copies.get(0)));
    assertFalse(allReleased(texts), "the worker still reads them");
    List<ByteBuf> uppers = new UpperCasing().of(request.texts(), false);
    assertFalse(request.finish(uppers), "nobody waits for this answer");
    assertTrue(
        allReleased(texts) && allReleased(uppers),
        "the worker released what the sender left behind");
    release(copies);
  }

  @Test
  void anAnswerThatComesAfterTheSenderGaveUpIsReleased() {
    List<ByteBuf> texts = texts("x");
    Pieces request = Pieces.of(texts);
    assertTrue(request.start());
    List<ByteBuf> uppers = new UpperCasing().of(request.texts(), false);
    assertTrue(request.finish(uppers));
    assertSame(texts, request.reclaim(), "answered but not taken: the sender gives up");
    assertTrue(allReleased(uppers));
    release(texts);
  }

  @Test
  void crossesTheWireWholeBothWays() {
    Pieces request = Pieces.of(texts("straße", "", "\u00ffa"));
    Buffer wire = Buffer.buffer("header");
    codec.encodeToWire(wire, request);
    Pieces received = codec.decodeFromWire("header".length(), wire);
    assertTrue(received.fromWire());
    assertEquals(
        List.of("straße", "", "\u00ffa"), received.texts().stream().map(PiecesTest::text).toList());

    assertTrue(received.start());
    assertTrue(received.finish(new UpperCasing().of(received.texts(), received.fromWire())));
    Buffer back = Buffer.buffer();
    codec.encodeToWire(back, received);
    Pieces answer = codec.decodeFromWire(0, back);
    assertEquals(
        List.of("STRASSE", "", "\u0178A"),
        answer.takeUppers().stream().map(PiecesTest::text).toList());
    release(request.reclaim());
  }

  /**
   * Vert.x encodes a message to another node once connected to it, maybe after the try's time-out:
   * by then the sender may have taken its texts back and released them.
   */
  @Test
  void aRequestGivenUpBeforeItIsEncodedCrossesTheWireWithoutItsTexts() {
    List<ByteBuf> texts = texts("released");
    Pieces request = Pieces.of(texts);
    release(request.reclaim());
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, request); // read the released buffers before
    Pieces received = codec.decodeFromWire(0, wire);
    assertEquals(0, received.size());
  }

  @Test
  void isHandedOverWithoutACopyWithinOneJvm() {
    Pieces pieces = Pieces.of(List.of(Unpooled.EMPTY_BUFFER));
    assertSame(pieces, codec.transform(pieces));
  }

  private static List<ByteBuf> texts(String... texts) {
    return java.util.Arrays.stream(texts)
        .map(
            text -> {
              byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
              return PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
            })
        .toList();
  }

  private static String text(ByteBuf buffer) {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static void release(List<ByteBuf> buffers) {
    buffers.forEach(ByteBuf::release);
  }

  private static boolean allReleased(List<ByteBuf> buffers) {
    return buffers.stream().allMatch(buffer -> buffer.refCnt() == 0);
  }
}
