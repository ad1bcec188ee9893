package capslock.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Merges the configuration with vertx-config, later layers winning key by key: the file (as the
 * launcher's {@code -conf} read it) &lt; environment variables ({@code CAPSLOCK_TCP_PORT=2000})
 * &lt; system properties ({@code -Dtcp.port=2000}), then validates the result into {@link
 * Settings}.
 */
public final class ConfigLoader {

  private static final String ENV_PREFIX = "CAPSLOCK_";

  private ConfigLoader() {}

  /** Loads the settings; fails with a {@link ConfigException} that names the bad key. */
  public static Future<Settings> load(Vertx vertx, JsonObject file) {
    return load(vertx, file, System.getenv());
  }

  static Future<Settings> load(Vertx vertx, JsonObject file, Map<String, String> env) {
    return load(vertx, file, env, System.getProperties());
  }

  static Future<Settings> load(
      Vertx vertx, JsonObject file, Map<String, String> env, Properties properties) {
    JsonObject fileLayer;
    try {
      fileLayer = fileLayer(file);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    ConfigRetriever retriever =
        ConfigRetriever.create(
            vertx,
            new ConfigRetrieverOptions()
                .setIncludeDefaultStores(false)
                .setScanPeriod(0) // read once: no live reload, no periodic scans
                .addStore(json(fileLayer))
                .addStore(json(environmentLayer(env)))
                .addStore(json(propertiesLayer(properties))));
    return retriever.getConfig().andThen(done -> retriever.close()).map(Settings::from);
  }

  /**
   * The same, before the service's own Vert.x instance exists (a clustered node needs its settings
   * to join), with a short-lived one.
   *
   * @throws ConfigException naming the bad key
   */
  public static Settings loadBeforeVertx(JsonObject file) {
    Vertx vertx = Vertx.vertx();
    try {
      return load(vertx, file).await();
    } finally {
      vertx.close();
    }
  }

  /** Reads a configuration file, or says in one sentence why it cannot be used. */
  public static JsonObject readFile(Path file) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("configuration file " + file + " not found");
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    try {
      return new JsonObject(Buffer.buffer(content));
    } catch (DecodeException | ClassCastException e) {
      String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new ConfigException("configuration file " + file + " is not a JSON object: " + reason);
    }
  }

  /**
   * The name of the environment variable that overrides {@code key}: tcp.idleTimeoutSeconds ->
   * CAPSLOCK_TCP_IDLE_TIMEOUT_SECONDS.
   */
  public static String environmentName(String key) {
    return ENV_PREFIX
        + key.replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /** The configuration that the CAPSLOCK_* variables among {@code env} give, as nested JSON. */
  static JsonObject environmentLayer(Map<String, String> env) {
    JsonObject layer = new JsonObject();
    for (String key : Settings.KEYS) {
      String value = env.get(environmentName(key));
      if (value != null) {
        putDotted(layer, key, value);
      }
    }
    return layer;
  }

  /**
   * The configuration that the system properties among {@code properties} give, as nested JSON:
   * capslock's keys, and any other in one of its sections (a typo, such as {@code tcp.prot}, which
   * is then rejected), but for {@code http.*}, where the JDK has properties of its own ({@code
   * http.proxyHost}, {@code http.keepAlive}, ...): those are left to it.
   */
  static JsonObject propertiesLayer(Properties properties) {
    JsonObject layer = new JsonObject();
    var sections = ConfigReader.sections(Settings.KEYS);
    for (String name : properties.stringPropertyNames()) {
      int dot = name.indexOf('.');
      boolean inOurSection = dot > 0 && sections.contains(name.substring(0, dot));
      if (Settings.KEYS.contains(name) || inOurSection && !name.startsWith("http.")) {
        putDotted(layer, name, properties.getProperty(name));
      }
    }
    return layer;
  }

  /**
   * The file's content with dotted keys ({@code "tcp.port": 1}) nested as {@code "tcp": {"port":
   * 1}}, so that either spelling works; a top-level key that is no section of ours is rejected
   * here.
   */
  static JsonObject fileLayer(JsonObject file) {
    JsonObject layer = new JsonObject();
    var sections = ConfigReader.sections(Settings.KEYS);
    for (Map.Entry<String, Object> entry : file) {
      String name = entry.getKey();
      if (!sections.contains(name.contains(".") ? name.substring(0, name.indexOf('.')) : name)
          && !Settings.KEYS.contains(name)) {
        throw new ConfigException(
            "unknown configuration key "
                + name
                + "; the known keys are "
                + String.join(", ", Settings.KEYS));
      }
      if (name.contains(".")) {
        putDotted(layer, name, entry.getValue());
      } else if (entry.getValue() instanceof JsonObject section
          && layer.getValue(name) instanceof JsonObject nested) {
        nested.mergeIn(section, true);
      } else {
        layer.put(name, entry.getValue());
      }
    }
    return layer;
  }

  private static void putDotted(JsonObject target, String key, Object value) {
    int dot = key.indexOf('.');
    if (dot < 0) {
      target.put(key, value);
      return;
    }
    String section = key.substring(0, dot);
    if (!(target.getValue(section) instanceof JsonObject)) {
      target.put(section, new JsonObject());
    }
    putDotted(target.getJsonObject(section), key.substring(dot + 1), value);
  }

  private static ConfigStoreOptions json(JsonObject config) {
    return new ConfigStoreOptions().setType("json").setConfig(config);
  }
}
