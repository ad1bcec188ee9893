package capslock.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

  @Test
  void anEmptyConfigurationGivesTheDefaults() {
    Settings settings = Settings.from(new JsonObject());
    assertEquals(
        new Settings.Tcp("0.0.0.0", 10825, 300, Settings.Tcp.DEFAULT_MAX_PENDING_BYTES),
        settings.tcp());
    assertEquals(
        new Settings.Udp("0.0.0.0", 11758, 65_507, 1024, 8_388_608, 0.0, null, 0), settings.udp());
    assertEquals(Runtime.getRuntime().availableProcessors(), settings.worker().instances());
    assertEquals(new Settings.Limits(2000, 2_000_000, 256, 20_000, true), settings.limits());
    assertEquals(Role.ALL, settings.role());
    assertFalse(settings.http().enabled(), "no HTTP port unless asked for");
    assertEquals(new Settings.Cluster("capslock", List.of("127.0.0.1")), settings.cluster());
    assertEquals(new Settings.WarmUp(10, 30_000), settings.warmUp());
  }

  @Test
  void readsEveryKey() {
    Settings settings =
        Settings.from(
            new JsonObject(
                """
        {"tcp": {"host": "127.0.0.1", "port": 2000, "idleTimeoutSeconds": 0},
         "udp": {"host": "::1", "port": 0, "maxDatagramBytes": 512, "maxPendingDatagrams": 64, "maxPendingBytes": 262144},
         "worker": {"instances": 3}, "role": "Workers",
         "cluster": {"name": "lab-3", "members": ["10.0.0.1", "10.0.0.2:5702"]},
         "warmUp": {"seconds": 1, "lines": 500}}"""));
    assertEquals(
        new Settings(
            Role.WORKERS,
            new Settings.Tcp("127.0.0.1", 2000, 0, Settings.Tcp.DEFAULT_MAX_PENDING_BYTES),
            new Settings.Udp("::1", 0, 512, 64, 262_144, 0.0, null, 0),
            new Settings.Http("0.0.0.0", Settings.Http.NONE, false, 100, 60),
            new Settings.Worker(3),
            Settings.Limits.DEFAULT,
            new Settings.Cluster("lab-3", List.of("10.0.0.1", "10.0.0.2:5702")),
            new Settings.WarmUp(1, 500)),
        settings);
  }

  @Test
  void takesTheClusterMembersAsOneStringWithCommasAsAnEnvironmentVariableGivesThem() {
    Settings settings =
        Settings.from(
            new JsonObject()
                .put("cluster", new JsonObject().put("members", "10.0.0.1, 10.0.0.2:5702")));
    assertEquals(List.of("10.0.0.1", "10.0.0.2:5702"), settings.cluster().members());
    assertFalse(settings.cluster().loopbackOnly());
    assertTrue(Settings.Cluster.DEFAULT.loopbackOnly());
  }

  @Test
  void theTrafficFeedIsOffUnlessAskedForAsTheEnvironmentOrTheFileMayAsk() {
    assertFalse(Settings.from(new JsonObject()).http().showTraffic());
    assertTrue(
        Settings.from(new JsonObject().put("http", new JsonObject().put("showTraffic", true)))
            .http()
            .showTraffic());
    assertTrue(
        Settings.from(new JsonObject().put("http", new JsonObject().put("showTraffic", "true")))
            .http()
            .showTraffic());
  }

  @Test
  void takesNumbersGivenAsStringsAsEnvironmentVariablesAndSystemPropertiesGiveThem() {
    assertEquals(
        2000,
        Settings.from(new JsonObject().put("tcp", new JsonObject().put("port", "2000")))
            .tcp()
            .port());
  }

  @Test
  void takesAWholeNumberWrittenWithADecimalPoint() {
    assertEquals(2000, Settings.from(new JsonObject("{\"tcp\": {\"port\": 2000.0}}")).tcp().port());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"false, false", "' FALSE ', false", "True, true", "' true', true"})
  void takesTrueOrFalseGivenAsAStringInAnyCaseAsEnvironmentVariablesGiveThem(
      String text, boolean value) {
    Settings settings =
        Settings.from(
            new JsonObject()
                .put("limits", new JsonObject().put("exemptLoopback", text))
                .put("http", new JsonObject().put("showTraffic", text)));
    assertEquals(value, settings.limits().exemptLoopback());
    assertEquals(value, settings.http().showTraffic());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {"0|0.0", "0.0|0.0", "0.3|0.3", "1|1.0", "1.0|1.0", "\"0.25\"|0.25", "\" 1 \"|1.0"})
  void takesASimulatedLossFromNoneToAllAsANumberOrAString(String json, double loss) {
    assertEquals(
        loss,
        Settings.from(new JsonObject("{\"udp\": {\"simulatedLoss\": " + json + "}}"))
            .udp()
            .simulatedLoss());
  }

  @Test
  void eachRoleRunsWhatItsNameSays() {
    assertTrue(Role.ALL.servesEndpoints() && Role.ALL.runsWorkers(), "all: both");
    assertTrue(
        Role.ENDPOINTS.servesEndpoints() && !Role.ENDPOINTS.runsWorkers(),
        "endpoints: the endpoints only");
    assertTrue(
        !Role.WORKERS.servesEndpoints() && Role.WORKERS.runsWorkers(), "workers: the workers only");
  }

  @Test
  void aPortInUseIsOneSentenceNamingThePortAndTheKeyToChange() {
    ConfigException error =
        ListenFailure.of("TCP", "0.0.0.0", 10825, new BindException("Address already in use"));
    assertEquals(
        "TCP port 10825 is already in use on 0.0.0.0: stop the program that holds it, or choose another tcp.port",
        error.getMessage());
  }

  @Test
  void anyOtherFailureToListenIsOneSentenceNamingTheAddressAndItsKeys() {
    ConfigException error =
        ListenFailure.of(
            "UDP", "192.0.2.1", 11758, new BindException("Cannot assign requested address"));
    assertEquals(
        "cannot listen for UDP on 192.0.2.1:11758: Cannot assign requested address (check udp.host and udp.port)",
        error.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"tcp\": {\"port\": 70000}}|tcp.port must be from 0 to 65535, got 70000",
        "{\"tcp\": {\"port\": -1}}|tcp.port must be from 0 to 65535, got -1",
        "{\"udp\": {\"port\": \"abc\"}}|udp.port must be a whole number, got \"abc\"",
        "{\"udp\": {\"port\": 1.5}}|udp.port must be a whole number, got 1.5",
        "{\"udp\": {\"port\": true}}|udp.port must be a whole number, got true",
        "{\"tcp\": {\"idleTimeoutSeconds\": -5}}|tcp.idleTimeoutSeconds must be at least 0, got -5",
        "{\"tcp\": {\"idleTimeoutSeconds\": 3000000000}}|tcp.idleTimeoutSeconds must be from 0 to 2147483647, got 3000000000",
        "{\"udp\": {\"maxDatagramBytes\": 70000}}|udp.maxDatagramBytes must be from 1 to 65507, got 70000",
        "{\"worker\": {\"instances\": 0}}|worker.instances must be from 1 to 64, got 0",
        "{\"tcp\": {\"host\": \"\"}}|tcp.host must be a host name or address, got \"\"",
        "{\"tcp\": {\"host\": 5}}|tcp.host must be a host name or address, got 5",
        "{\"tcp\": 5}|tcp must be a JSON object of tcp.* keys, got 5",
        "{\"udp\": {\"simulatedLoss\": 1.5}}|udp.simulatedLoss must be a number from 0.0 to 1.0, got 1.5",
        "{\"udp\": {\"simulatedLoss\": \"some\"}}|udp.simulatedLoss must be a number from 0.0 to 1.0, got \"some\"",
        "{\"udp\": {\"simulatedLoss\": -0.1}}|udp.simulatedLoss must be a number from 0.0 to 1.0, got -0.1",
        "{\"udp\": {\"simulatedLoss\": true}}|udp.simulatedLoss must be a number from 0.0 to 1.0, got true",
        "{\"udp\": {\"simulatedDelayMs\": -1}}|udp.simulatedDelayMs must be from 0 to 60000, got -1",
        "{\"udp\": {\"limits\": {\"datagramsPerSecond\": -5}}}|udp.limits.datagramsPerSecond must be at least 1, got -5",
        "{\"tcp\": {\"limits\": {\"maxConnections\": \"many\"}}}|tcp.limits.maxConnections must be a whole number, got \"many\"",
        "{\"limits\": {\"exemptLoopback\": \"maybe\"}}|limits.exemptLoopback must be true or false, got \"maybe\"",
        "{\"http\": {\"showTraffic\": \"yes\"}}|http.showTraffic must be true or false, got \"yes\"",
        "{\"udp\": {\"limits\": 3}}|udp.limits must be a JSON object of udp.limits.* keys, got 3",
        "{\"http\": {\"port\": -2}}|http.port must be from -1 to 65535, got -2",
        "{\"role\": \"boss\"}|role must be one of endpoints, workers, all, got \"boss\"",
        "{\"cluster\": {\"name\": \"my lab\"}}|cluster.name must be one word of letters, digits, '-', '_' or '.', got \"my lab\"",
        "{\"cluster\": {\"members\": []}}|cluster.members must name at least one host, got []",
        "{\"cluster\": {\"members\": [\"a b\"]}}|cluster.members must be a list of host[:port] strings, got [\"a b\"]",
        "{\"warmUp\": {\"seconds\": 61}}|warmUp.seconds must be from 0 to 60, got 61",
        "{\"warmUp\": {\"lines\": 0}}|warmUp.lines must be from 1 to 1000000, got 0",
      })
  void aBadValueIsOneSentenceNamingItsKey(String json, String message) {
    ConfigException error =
        assertThrows(ConfigException.class, () -> Settings.from(new JsonObject(json)));
    assertEquals(message, error.getMessage());
  }

  @Test
  void readsTheLimitsNestedOrDotted() {
    Settings settings =
        Settings.from(
            ConfigLoader.fileLayer(
                new JsonObject(
                    """
        {"udp": {"limits": {"datagramsPerSecond": 100}}, "tcp.limits.connectionsPerSource": 4,
         "limits": {"exemptLoopback": false}}""")));
    assertEquals(new Settings.Limits(100, 2_000_000, 4, 20_000, false), settings.limits());
  }

  @Test
  void anUnknownKeyInAGroupIsRejectedByName() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                Settings.from(new JsonObject("{\"udp\": {\"limits\": {\"datagramsPerSec\": 1}}}")));
    assertTrue(
        error.getMessage().startsWith("unknown configuration key udp.limits.datagramsPerSec;"),
        error.getMessage());
  }

  @Test
  void anUnknownKeyInASectionIsRejectedByName() {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> Settings.from(new JsonObject("{\"tcp\": {\"prot\": 2000}}")));
    assertEquals(
        "unknown configuration key tcp.prot; the known keys are "
            + String.join(", ", Settings.KEYS),
        error.getMessage());
  }
}
