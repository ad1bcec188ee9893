package capslock.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client of the socket lesson: reads a sentence, sends it, prints the reply and the round-trip
 * time, until the end of the input. Runs on the caller's thread (never an event loop): it waits for
 * each reply in turn, as the lesson's client does.
 */
public final class LessonClient {

  static final String PROMPT = "Input lowercase sentence: ";

  private final LineExchange exchange;
  private final Duration timeout;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;

  /**
   * @param out where the replies go
   * @param err where failures are explained, one line each
   * @param interactive whether a person types the input (then the prompt is shown)
   */
  public LessonClient(
      LineExchange exchange,
      Duration timeout,
      PrintStream out,
      PrintStream err,
      boolean interactive) {
    this.exchange = exchange;
    this.timeout = timeout;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  /**
   * Runs until the end of {@code input}: 0 then, or 1 after a failure it has explained on {@code
   * err}.
   */
  public int run(BufferedReader input) throws IOException {
    out.println("The client is running on port " + exchange.localPort());
    for (String line = prompt(input); line != null; line = prompt(input)) {
      try {
        LineExchange.Reply reply =
            exchange.send(line).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        out.println("Reply from server: " + reply.text());
        out.printf("Response time: %.3f ms%n", reply.roundTripNanos() / 1e6);
      } catch (TimeoutException e) {
        err.println("Connection timed out (no reply within " + timeout.toMillis() / 1000.0 + " s)");
        if (!exchange.survivesTimeout()) {
          return 1;
        }
      } catch (UdpLineExchange.LineTooLong e) {
        err.println(e.getMessage());
      } catch (ClientFailure e) {
        err.println(e.getMessage());
        return 1;
      }
    }
    return 0;
  }

  private String prompt(BufferedReader input) throws IOException {
    if (interactive) {
      out.print(PROMPT);
      out.flush();
    }
    return input.readLine();
  }
}
