package capslock.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads typed values out of a configuration by their dotted key ({@code tcp.port} is {@code {"tcp":
 * {"port": ...}}}, {@code udp.limits.bytesPerSecond} one level deeper), and words every problem as
 * one sentence naming the key. It remembers every key it is asked for: the reading of {@link
 * Settings} is the one declaration of the keys there are. Values may be JSON numbers or, as
 * environment variables and system properties give them, strings.
 */
final class ConfigReader {

  private static final String ANY_INTERFACE = "0.0.0.0";

  private final JsonObject config;
  private final Set<String> keys = new LinkedHashSet<>();

  ConfigReader(JsonObject config) {
    this.config = config;
  }

  /** The keys asked for so far, in the order they were. */
  List<String> keys() {
    return List.copyOf(keys);
  }

  /**
   * Rejects a key that is in one of the sections read but was not read, such as a typo {@code
   * tcp.prot}.
   */
  void rejectUnknownKeys() {
    List<String> keys = keys();
    for (String section : sections(keys)) {
      rejectUnknownKeys(section, object(section));
    }
  }

  private void rejectUnknownKeys(String path, JsonObject object) {
    List<String> keys = keys();
    for (String name : object.fieldNames()) {
      String key = path + "." + name;
      if (keys.contains(key)) {
        continue;
      }
      if (keys.stream().anyMatch(known -> known.startsWith(key + "."))) {
        rejectUnknownKeys(key, object(key)); // a group of keys, such as udp.limits
      } else {
        throw new ConfigException(
            "unknown configuration key " + key + "; the known keys are " + String.join(", ", keys));
      }
    }
  }

  String host(String key) {
    Object value = value(key);
    if (value == null) {
      return ANY_INTERFACE;
    }
    if (value instanceof String host && !host.isBlank()) {
      return host.trim();
    }
    throw new ConfigException(key + " must be a host name or address, got " + show(value));
  }

  int port(String key, int defaultValue) {
    return between(key, defaultValue, 0, 65_535);
  }

  int atLeast(String key, int defaultValue, int min) {
    return between(key, defaultValue, min, Integer.MAX_VALUE);
  }

  int between(String key, int defaultValue, int min, int max) {
    return (int) longBetween(key, defaultValue, min, max);
  }

  /**
   * A whole number from {@code min} to {@code max}; a max of Integer.MAX_VALUE or more means no
   * upper bound.
   */
  long longBetween(String key, long defaultValue, long min, long max) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    Long number = wholeNumber(value);
    if (number == null) {
      throw new ConfigException(key + " must be a whole number, got " + show(value));
    }
    if (number < min || number > max) {
      String range =
          max >= Integer.MAX_VALUE && number < min
              ? "at least " + min
              : "from " + min + " to " + max;
      throw new ConfigException(key + " must be " + range + ", got " + number);
    }
    return number;
  }

  boolean bool(String key, boolean defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof String text
        && (text.trim().equalsIgnoreCase("true") || text.trim().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(text.trim());
    }
    throw new ConfigException(key + " must be true or false, got " + show(value));
  }

  /** A number from 0.0 to 1.0; 0 when absent. */
  double fraction(String key) {
    Object value = value(key);
    if (value == null) {
      return 0.0;
    }
    Double number =
        value instanceof Number n ? Double.valueOf(n.doubleValue()) : parseDouble(value);
    if (number == null || !(number >= 0.0 && number <= 1.0)) {
      throw new ConfigException(key + " must be a number from 0.0 to 1.0, got " + show(value));
    }
    return number;
  }

  /** A whole number, or null when absent. */
  Long optionalWholeNumber(String key) {
    return value(key) == null ? null : longBetween(key, 0, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** One of {@code choices} (any case), or {@code defaultValue} when absent. */
  <E extends Enum<E>> E choice(String key, E defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    for (E choice : defaultValue.getDeclaringClass().getEnumConstants()) {
      if (value instanceof String text && text.trim().equalsIgnoreCase(choice.name())) {
        return choice;
      }
    }
    String names =
        Arrays.stream(defaultValue.getDeclaringClass().getEnumConstants())
            .map(choice -> choice.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
    throw new ConfigException(key + " must be one of " + names + ", got " + show(value));
  }

  /** One word: letters, digits, '-', '_' or '.'. */
  String word(String key, String defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof String word && word.matches("[A-Za-z0-9._-]+")) {
      return word;
    }
    throw new ConfigException(
        key + " must be one word of letters, digits, '-', '_' or '.', got " + show(value));
  }

  /**
   * A non-empty list of words without spaces: a JSON array of strings or, as environment variables
   * give it, one string with commas ({@code "10.0.0.1,10.0.0.2:5702"}).
   */
  List<String> words(String key, List<String> defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    List<Object> items =
        value instanceof JsonArray array
            ? array.stream().toList()
            : value instanceof String text
                ? List.of((Object[]) text.split(",", -1))
                : List.of(value);
    List<String> words = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof String word) || word.isBlank() || word.trim().contains(" ")) {
        throw new ConfigException(
            key + " must be a list of host[:port] strings, got " + show(value));
      }
      words.add(word.trim());
    }
    if (words.isEmpty()) {
      throw new ConfigException(key + " must name at least one host, got " + show(value));
    }
    return List.copyOf(words);
  }

  /**
   * The sections ({@code tcp}, {@code udp}, ...) that the given keys live in; a key without a dot
   * has none.
   */
  static Set<String> sections(List<String> keys) {
    Set<String> sections = new TreeSet<>();
    keys.stream()
        .filter(key -> key.contains("."))
        .forEach(key -> sections.add(key.substring(0, key.indexOf('.'))));
    return sections;
  }

  private Object value(String key) {
    keys.add(key);
    int dot = key.lastIndexOf('.');
    return dot < 0
        ? config.getValue(key)
        : object(key.substring(0, dot)).getValue(key.substring(dot + 1));
  }

  /** The JSON object at a dotted path ({@code tcp}, {@code udp.limits}); empty when absent. */
  private JsonObject object(String path) {
    JsonObject object = config;
    String at = "";
    for (String name : path.split("\\.", -1)) {
      at = at.isEmpty() ? name : at + "." + name;
      Object inner = object.getValue(name);
      if (inner == null) {
        return new JsonObject();
      }
      if (!(inner instanceof JsonObject nested)) {
        throw new ConfigException(
            at + " must be a JSON object of " + at + ".* keys, got " + show(inner));
      }
      object = nested;
    }
    return object;
  }

  private static Long wholeNumber(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : null;
    }
    if (value instanceof String text) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException notANumber) {
        return null;
      }
    }
    return null;
  }

  private static Double parseDouble(Object value) {
    try {
      return value instanceof String text ? Double.valueOf(text.trim()) : null;
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  private static String show(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
