package capslock.cli;

import capslock.server.MainVerticle;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/** What capslock's picocli commands share. */
final class Commands {

  private Commands() {}

  /**
   * Runs {@code command} with {@code args}; its help goes to {@code out}, its usage errors to
   * {@code err}.
   */
  static int execute(Object command, PrintStream out, PrintStream err, String... args) {
    return new CommandLine(command).setOut(writer(out)).setErr(writer(err)).execute(args);
  }

  /** What {@code --version} prints, on every command: capslock's version, from the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"capslock " + MainVerticle.version()};
    }
  }

  /** Whether a person is at the terminal: on Java 17, {@link System#console()} is null when not. */
  @SuppressWarnings("SystemConsoleNull") // Console.isTerminal() comes with Java 22
  static boolean atTerminal() {
    return System.console() != null;
  }

  /** Text in the JVM's default charset: the one {@link System#out} encodes with on Java 17. */
  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, Charset.defaultCharset()), true);
  }
}
