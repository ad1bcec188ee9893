package capslock.config;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  private static final JsonObject FILE =
      new JsonObject("{\"tcp\": {\"port\": 1000}, \"udp\": {\"port\": 1001}}");

  @Test
  void theFileGivesTheValues(Vertx vertx) throws Exception {
    Settings settings = ConfigLoader.load(vertx, FILE, Map.of()).await(10, SECONDS);
    assertEquals(1000, settings.tcp().port());
    assertEquals(1001, settings.udp().port());
  }

  @Test
  void anEnvironmentVariableOverridesTheFile(Vertx vertx) throws Exception {
    Map<String, String> env =
        Map.of("CAPSLOCK_TCP_PORT", "2000", "CAPSLOCK_TCP_IDLE_TIMEOUT_SECONDS", "7");
    Settings settings = ConfigLoader.load(vertx, FILE, env).await(10, SECONDS);
    assertEquals(2000, settings.tcp().port());
    assertEquals(7, settings.tcp().idleTimeoutSeconds());
    assertEquals(1001, settings.udp().port());
  }

  @Test
  void aSystemPropertyOverridesTheEnvironmentAndTheFile(Vertx vertx) throws Exception {
    System.setProperty("tcp.port", "3000");
    try {
      Settings settings =
          ConfigLoader.load(vertx, FILE, Map.of("CAPSLOCK_TCP_PORT", "2000")).await(10, SECONDS);
      assertEquals(3000, settings.tcp().port());
    } finally {
      System.clearProperty("tcp.port");
    }
  }

  /** The JDK's own http.* properties (a proxy, say) are left to it; a typo in a key is not. */
  @Test
  void theJdksHttpPropertiesAreLeftToItAndATypoIsRejected(Vertx vertx) throws Exception {
    Properties jdks = new Properties();
    jdks.setProperty("http.proxyHost", "proxy.example");
    jdks.setProperty("http.keepAlive", "false");
    jdks.setProperty("http.port", "8081");
    Settings settings = ConfigLoader.load(vertx, FILE, Map.of(), jdks).await(10, SECONDS);
    assertEquals(8081, settings.http().port());

    Properties typo = new Properties();
    typo.setProperty("tcp.prot", "3000");
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(vertx, FILE, Map.of(), typo).await(10, SECONDS));
    assertTrue(
        error.getMessage().startsWith("unknown configuration key tcp.prot"), error.getMessage());
  }

  @Test
  void aBadEnvironmentValueNamesTheKey(Vertx vertx) {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(vertx, FILE, Map.of("CAPSLOCK_UDP_PORT", "lots"))
                    .await(10, SECONDS));
    assertEquals("udp.port must be a whole number, got \"lots\"", error.getMessage());
  }

  @Test
  void anUnknownSectionInTheFileFailsTheLoadNamingIt(Vertx vertx) {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(vertx, new JsonObject("{\"tpc\": {\"port\": 5}}"), Map.of())
                    .await(10, SECONDS));
    assertTrue(error.getMessage().startsWith("unknown configuration key tpc;"), error.getMessage());
  }

  @Test
  void theServiceLoadsTheFileUnderTheProcessEnvironmentWithOrWithoutVertx(Vertx vertx)
      throws Exception {
    assumeTrue(
        System.getenv().keySet().stream().noneMatch(name -> name.startsWith("CAPSLOCK_")),
        "no CAPSLOCK_ variable set");
    assertEquals(1000, ConfigLoader.load(vertx, FILE).await(10, SECONDS).tcp().port());
    assertEquals(1001, ConfigLoader.loadBeforeVertx(FILE).udp().port());
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.loadBeforeVertx(new JsonObject("{\"tcp\": {\"port\": 70000}}")));
    assertEquals("tcp.port must be from 0 to 65535, got 70000", error.getMessage());
  }

  @Test
  void environmentVariableNamesFollowTheKeys() {
    assertEquals("CAPSLOCK_TCP_PORT", ConfigLoader.environmentName("tcp.port"));
    assertEquals(
        "CAPSLOCK_TCP_IDLE_TIMEOUT_SECONDS",
        ConfigLoader.environmentName("tcp.idleTimeoutSeconds"));
    assertEquals(
        "CAPSLOCK_UDP_LIMITS_BYTES_PER_SECOND",
        ConfigLoader.environmentName("udp.limits.bytesPerSecond"));
    assertEquals("CAPSLOCK_HTTP_SHOW_TRAFFIC", ConfigLoader.environmentName("http.showTraffic"));
    assertEquals(
        new JsonObject("{\"udp\": {\"maxDatagramBytes\": \"512\"}}"),
        ConfigLoader.environmentLayer(
            Map.of("CAPSLOCK_UDP_MAX_DATAGRAM_BYTES", "512", "PATH", "/bin")));
  }

  @Test
  void dottedKeysInTheFileAreNested() {
    assertEquals(
        new JsonObject("{\"tcp\": {\"port\": 5, \"host\": \"::1\"}}"),
        ConfigLoader.fileLayer(new JsonObject("{\"tcp.port\": 5, \"tcp\": {\"host\": \"::1\"}}")));
  }

  @Test
  void dottedAndNestedSpellingsOfOneGroupAreMergedDeeply() {
    assertEquals(
        new JsonObject(
            "{\"tcp\": {\"limits\": {\"maxConnections\": 9, \"connectionsPerSource\": 2}}}"),
        ConfigLoader.fileLayer(
            new JsonObject(
                "{\"tcp.limits.maxConnections\": 9, \"tcp\": {\"limits\": {\"connectionsPerSource\": 2}}}")));
  }

  @Test
  void anUnknownSectionInTheFileIsRejectedByName() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fileLayer(new JsonObject("{\"tpc\": {\"port\": 5}}")));
    assertTrue(error.getMessage().startsWith("unknown configuration key tpc;"), error.getMessage());
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");
    ConfigException error =
        assertThrows(ConfigException.class, () -> ConfigLoader.readFile(missing));
    assertEquals("configuration file " + missing + " not found", error.getMessage());
  }

  @Test
  void aFileThatIsNotJsonIsNamed(@TempDir Path dir) throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{ tcp: ");
    ConfigException error = assertThrows(ConfigException.class, () -> ConfigLoader.readFile(bad));
    assertTrue(
        error.getMessage().startsWith("configuration file " + bad + " is not a JSON object: "),
        error.getMessage());
    assertEquals(1, error.getMessage().lines().count());
  }

  @Test
  void theShippedConfigurationIsValid() {
    Settings shipped =
        Settings.from(ConfigLoader.fileLayer(ConfigLoader.readFile(Path.of("conf/config.json"))));
    assertEquals(10825, shipped.tcp().port());
    assertEquals(11758, shipped.udp().port());
  }
}
