package capslock.cli;

import java.util.function.BooleanSupplier;
import sun.misc.Signal;

/**
 * Ctrl+C (SIGINT) and SIGTERM as a normal end (exit status 0), or as an interruption (130);
 * shutdown hooks run either way.
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
    Signal.handle(new Signal("TERM"), received -> stop(exitNow));
    Signal.handle(new Signal("INT"), received -> stop(exitNow));
  }

  /**
   * Ctrl+C or SIGTERM as an interruption of work that was to end by itself (a load's run): {@code
   * said} on standard error, then exit status 130, as a shell reports a command Ctrl+C stopped, so
   * that a script does not take it for success.
   */
  static void onStopSignalsAsInterrupted(String said) {
    Signal.handle(new Signal("TERM"), received -> interrupted(said));
    Signal.handle(new Signal("INT"), received -> interrupted(said));
  }

  private static void interrupted(String said) {
    System.err.println(said);
    System.exit(130);
  }

  private static void stop(BooleanSupplier exitNow) {
    if (exitNow.getAsBoolean()) {
      System.exit(0);
    }
  }
}
