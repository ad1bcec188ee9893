package capslock.server;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs what it is given once, at the end of the event loop's current turn, all of it in one task:
 * the connections that have replies to flush in a turn (a thousand, under load) cost the event loop
 * one task, not one each. Used on its context's event loop only.
 */
final class EndOfTurn {

  private static final Logger log = LoggerFactory.getLogger(EndOfTurn.class);

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

  /** Each action alone: one that fails must not keep the others, or later turns, from running. */
  private void runDue() {
    for (int i = 0; i < due.size(); i++) { // an action may add another
      try {
        due.get(i).run();
      } catch (RuntimeException bug) {
        log.error("An end-of-turn action failed; the others run", bug);
      }
    }
    due.clear();
  }
}
