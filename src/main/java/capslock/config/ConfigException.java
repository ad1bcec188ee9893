package capslock.config;

/**
 * The service cannot start with the settings as given: a bad value, an unreadable file, a port
 * already in use. The message is one sentence for a person and names what to change.
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false); // the message says it all: no stack trace to show or fill
  }
}
