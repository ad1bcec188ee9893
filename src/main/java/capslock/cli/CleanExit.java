package capslock.cli;

import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl+C (SIGINT) and SIGTERM as a normal end (exit status 0), as an interruption (130), or as the
 * end of work that would go on (a pinger's summary, and its status); shutdown hooks run either way.
 * One mechanism for them all: each says what the signal does, on the signal's own thread, and gives
 * the exit status.
 */
final class CleanExit {

  private CleanExit() {}

  /**
   * The JVM would exit with 128 + the signal's number; a stop that was asked for is a success.
   * System.exit still runs the shutdown hooks (the launcher's closes Vert.x gracefully).
   * sun.misc.Signal is the JDK's supported way to do this (module jdk.unsupported).
   */
  static void onStopSignals() {
    onStopSignals(() -> true);
  }

  /**
   * The same, asking {@code exitNow} first: false leaves the exit to the program (a start that
   * failed on its own meanwhile exits with its own status).
   */
  static void onStopSignals(BooleanSupplier exitNow) {
    handle(() -> exitNow.getAsBoolean() ? OptionalInt.of(0) : OptionalInt.empty());
  }

  /**
   * Ctrl+C or SIGTERM as an interruption of work that was to end by itself (a load's run): {@code
   * said} on standard error, then exit status 130, as a shell reports a command Ctrl+C stopped, so
   * that a script does not take it for success.
   */
  static void onStopSignalsAsInterrupted(String said) {
    onStopSignalsEndingWith(
        () -> {
          System.err.println(said);
          return 130;
        });
  }

  /**
   * Ctrl+C or SIGTERM as the way to end work that would go on (a pinger's): {@code ending} says
   * what there is to say then (ping's summary) and gives the exit status. Called again, it replaces
   * what a signal did before.
   */
  static void onStopSignalsEndingWith(IntSupplier ending) {
    handle(() -> OptionalInt.of(ending.getAsInt()));
  }

  /** Both signals run {@code stop}, then exit with the status it gives, if it gives one. */
  private static void handle(Supplier<OptionalInt> stop) {
    SignalHandler handler = received -> stop.get().ifPresent(System::exit);
    Signal.handle(new Signal("TERM"), handler);
    Signal.handle(new Signal("INT"), handler);
  }
}
