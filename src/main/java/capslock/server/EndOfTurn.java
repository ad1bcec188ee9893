package capslock.server;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs what it is given once, at the end of the event loop's current turn, all of it in one task:
 * the connections that have replies to flush in a turn (a thousand, under load) cost the event loop
 * one task, not one each. Used on its context's event loop only.
 */
final class EndOfTurn {

  private final Context context;
  private final List<Runnable> due = new ArrayList<>();

  EndOfTurn(Context context) {
    this.context = context;
  }

  /** Runs {@code action} at the end of this turn (in this one, when asked while they run). */
  void run(Runnable action) {
    if (due.isEmpty()) {
      context.runOnContext(endOfTurn -> runDue());
    }
    due.add(action);
  }

  private void runDue() {
    for (int i = 0; i < due.size(); i++) { // an action may add another
      due.get(i).run();
    }
    due.clear();
  }
}
