package capslock.bench;

/**
 * The load's messages: lowercase letters and a final newline, each message shifted by its sequence
 * number, so that a reply that is wrong, lost or out of order shows in its bytes. Byte {@code i} of
 * message {@code seq} is known without storing the message.
 */
final class Message {

  private Message() {}

  /**
   * Byte {@code at} of message {@code seq}, {@code size} bytes long: a lowercase letter, or the
   * final newline.
   */
  static byte request(long seq, int at, int size) {
    return at == size - 1 ? (byte) '\n' : (byte) ('a' + (seq + at) % 26);
  }

  /** The byte the server must answer for {@link #request}: its upper case. */
  static byte reply(long seq, int at, int size) {
    byte b = request(seq, at, size);
    return b == '\n' ? b : (byte) (b - ('a' - 'A'));
  }

  static byte[] request(long seq, int size) {
    byte[] bytes = new byte[size];
    for (int at = 0; at < size; at++) {
      bytes[at] = request(seq, at, size);
    }
    return bytes;
  }
}
