package capslock.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class UppercaseTest {

  private static final UppercaseEvents UNCOUNTED =
      new UppercaseEvents() {
        @Override
        public void replied(long nanos) {}

        @Override
        public void retried() {}

        @Override
        public void upperCasedLocally(int pieces) {}
      };

  /**
   * A worker that never answers holds one request; a second piece waits to be sent. Once the
   * endpoints stop, both pieces are released and their replies fail: nobody waits for them, and a
   * closing Vert.x fires no time-out.
   */
  @Test
  void whatNoWorkerAnsweredIsReleasedWhenTheEndpointsStop(Vertx vertx) throws Exception {
    Pieces.registerCodec(vertx.eventBus());
    vertx.eventBus().consumer(Uppercase.ADDRESS, held -> {}).completion().await();
    ByteBuf sent = text("sent, never answered");
    ByteBuf waiting = text("waiting to be sent");
    Context context = vertx.getOrCreateContext();
    Promise<List<Future<ByteBuf>>> replies = Promise.promise();
    context.runOnContext(
        first -> {
          Uppercase uppercase = new Uppercase(vertx, 1, UNCOUNTED);
          Future<ByteBuf> sentReply = uppercase.apply(sent); // sent at the end of this turn
          context.runOnContext(
              later -> {
                Future<ByteBuf> waitingReply = uppercase.apply(waiting); // one request is out
                assertEquals(1, sent.refCnt(), "the worker holds it");
                uppercase.close();
                replies.complete(List.of(sentReply, waitingReply));
              });
        });

    List<Future<ByteBuf>> failed = replies.future().await(10, TimeUnit.SECONDS);
    assertTrue(failed.stream().allMatch(Future::failed), "nobody waits for these");
    assertEquals(0, sent.refCnt());
    assertEquals(0, waiting.refCnt());
  }

  private static ByteBuf text(String text) {
    return PooledByteBufAllocator.DEFAULT
        .directBuffer()
        .writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
