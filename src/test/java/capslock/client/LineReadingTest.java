package capslock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the lesson's clients read what is typed or piped in, a line at a time. */
class LineReadingTest {

  @Test
  void linesComeWithoutTheirEndingsAndTheLastNeedsNone() throws IOException {
    InputStream in = input("one\r\n\ntwo");
    assertEquals("one", text(LessonClient.readLine(in, 10)));
    assertEquals("", text(LessonClient.readLine(in, 10)));
    assertEquals("two", text(LessonClient.readLine(in, 10)));
    assertNull(LessonClient.readLine(in, 10));
  }

  @Test
  void aLineOfTheLongestLengthIsSentWithOrWithoutACarriageReturn() throws IOException {
    InputStream in = input("0123456789\n0123456789\r\n");
    assertEquals("0123456789", text(LessonClient.readLine(in, 10)));
    assertEquals("0123456789", text(LessonClient.readLine(in, 10)));
  }

  /**
   * A longer line is read to its end and only counted (a file with no newline was once held whole,
   * until the client's heap ran out), and the next line comes whole.
   */
  @Test
  void aLongerLineIsOnlyCountedAndTheNextComesWhole() throws IOException {
    long hundredMegabytes = 100_000_000;
    InputStream in = new SequenceInputStream(new Bytes('y', hundredMegabytes), input("\r\nnext\n"));

    LessonClient.Line tooLong = LessonClient.readLine(in, 65_507);
    assertTrue(tooLong.tooLong());
    assertEquals(hundredMegabytes, tooLong.length(), "without its carriage return");
    assertEquals("next", text(LessonClient.readLine(in, 65_507)));
  }

  private static InputStream input(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(LessonClient.Line line) {
    return line.bytes().toString(StandardCharsets.UTF_8);
  }

  /** {@code count} times the byte {@code b}, made as they are read. */
  private static final class Bytes extends InputStream {
    private final int b;
    private long left;

    Bytes(int b, long count) {
      this.b = b;
      this.left = count;
    }

    @Override
    public int read() {
      return left-- > 0 ? b : -1;
    }
  }
}
