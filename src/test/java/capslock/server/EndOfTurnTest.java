package capslock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class EndOfTurnTest {

  /**
   * What is given in a turn runs once, after the turn, in order, with what it adds itself; an
   * action that fails keeps neither the others nor later turns from running.
   */
  @Test
  void runsATurnsActionsAfterItEvenWhenOneFails(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    EndOfTurn endOfTurn = new EndOfTurn(context);
    List<String> ran = new CopyOnWriteArrayList<>();
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        turn -> {
          endOfTurn.run(() -> ran.add("first"));
          endOfTurn.run(
              () -> {
                throw new IllegalStateException("a bug");
              });
          endOfTurn.run(
              () -> {
                ran.add("third");
                endOfTurn.run(() -> ran.add("added by the third"));
              });
          ran.add("the turn itself");
          context.runOnContext(
              nextTurn -> {
                endOfTurn.run(
                    () -> {
                      ran.add("a later turn's");
                      done.complete();
                    });
              });
        });

    done.future().await(10, TimeUnit.SECONDS);
    assertEquals(
        List.of("the turn itself", "first", "third", "added by the third", "a later turn's"), ran);
  }
}
