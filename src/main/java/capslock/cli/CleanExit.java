package capslock.cli;

import sun.misc.Signal;

/** Ctrl+C (SIGINT) and SIGTERM as a normal end: exit status 0, shutdown hooks run. */
final class CleanExit {

  private CleanExit() {}

  /**
   * The JVM would exit with 128 + the signal's number; a stop that was asked for is a success.
   * System.exit still runs the shutdown hooks (the launcher's closes Vert.x gracefully).
   * sun.misc.Signal is the JDK's supported way to do this (module jdk.unsupported).
   */
  static void onStopSignals() {
    onStopSignals(() -> {});
  }

  /** The same, telling {@code first} before the exit begins. */
  static void onStopSignals(Runnable first) {
    Signal.handle(new Signal("TERM"), received -> stop(first));
    Signal.handle(new Signal("INT"), received -> stop(first));
  }

  private static void stop(Runnable first) {
    first.run();
    System.exit(0);
  }
}
