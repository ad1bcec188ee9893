package capslock.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/** What capslock's picocli commands share. */
final class Commands {

  private Commands() {
  }

  /** Runs {@code command} with {@code args}; its help goes to {@code out}, its usage errors to {@code err}. */
  static int execute(Object command, PrintStream out, PrintStream err, String... args) {
    return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }
}
