package capslock.client;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
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
   * err}. Lines go as the bytes read and replies are printed as the bytes that came, whatever the
   * terminal's charset: nothing is replaced or lost on the way (invalid UTF-8 included).
   */
  public int run(InputStream input) throws IOException {
    out.println("The client is running on port " + exchange.localPort());
    for (Line line = prompt(input); line != null; line = prompt(input)) {
      if (line.tooLong()) {
        err.printf(
            "Line not sent: %d bytes is more than %s (%d bytes)%n",
            line.length(), exchange.longestLineIs(), exchange.longestLine());
        continue;
      }
      try {
        LineExchange.Reply reply =
            exchange.send(line.bytes()).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        out.print("Reply from server: ");
        out.writeBytes(reply.bytes().getBytes());
        out.println();
        out.printf("Response time: %.3f ms%n", reply.roundTripNanos() / 1e6);
      } catch (TimeoutException e) {
        err.println("Connection timed out (no reply within " + timeout.toMillis() / 1000.0 + " s)");
        if (!exchange.survivesTimeout()) {
          return 1;
        }
      } catch (ClientFailure e) {
        err.println(e.getMessage());
        return 1;
      }
    }
    return 0;
  }

  private Line prompt(InputStream input) throws IOException {
    if (interactive) {
      out.print(PROMPT);
      out.flush();
    }
    return readLine(input, exchange.longestLine());
  }

  /** A line read: its bytes, or only how long it was when that is more than could be sent. */
  record Line(Buffer bytes, long length) {
    boolean tooLong() {
      return bytes == null;
    }
  }

  /**
   * The next line, without its newline (nor a carriage return before it), or only its length when
   * it has more than {@code longest} bytes (read to its end, but not kept); null at the end of the
   * input.
   */
  static Line readLine(InputStream input, int longest) throws IOException {
    int next = input.read();
    if (next == -1) {
      return null;
    }
    Buffer line = Buffer.buffer();
    long length = 0;
    int last = -1;
    for (; next != -1 && next != '\n'; next = input.read()) {
      if (length++ <= longest) { // one more than the longest: a carriage return may end it
        line.appendByte((byte) next);
      }
      last = next;
    }
    if (last == '\r') {
      length--;
    }
    return length > longest
        ? new Line(null, length)
        : new Line(line.getBuffer(0, (int) length), length);
  }
}
