package capslock.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's options as capslock reads them: either spelling, any case, with or without =. */
class LauncherOptionsTest {

  private static final List<String> CONF = List.of("-conf", "--conf");

  @Test
  void readsAnOptionsValueInEverySpelling() {
    assertEquals("a.json", LauncherOptions.value(new String[] {"-conf", "a.json"}, CONF));
    assertEquals("b.json", LauncherOptions.value(new String[] {"-x", "--CONF=b.json"}, CONF));
    assertNull(LauncherOptions.value(new String[] {"-conf"}, CONF), "no value");
    assertNull(LauncherOptions.value(new String[] {"-instances", "2"}, CONF), "no such option");
  }

  @Test
  void findsAFlagInAnyCaseAndNoOtherOptionStartingAsIt() {
    List<String> cluster = List.of("-cluster", "--cluster", "-c");
    assertTrue(LauncherOptions.given(new String[] {"-instances", "2", "-Cluster"}, cluster));
    assertTrue(LauncherOptions.given(new String[] {"-c"}, cluster));
    assertFalse(
        LauncherOptions.given(new String[] {"-cluster-host", "10.0.0.1", "-conf", "c"}, cluster));
  }

  @Test
  void leavesOutAnOptionAndItsValueWhicheverItsSpelling() {
    assertArrayEquals(
        new String[] {"-instances", "2", "-cluster"},
        LauncherOptions.without(
            new String[] {"-instances", "2", "-Conf", "a.json", "--conf=b.json", "-cluster"},
            CONF));
  }

  @Test
  void aConfWithoutAFileIsAUsageError() {
    String said =
        "-conf needs the name of a configuration file (JSON), as in -conf conf/config.json";
    assertEquals(said, LauncherOptions.problem(new String[] {"-conf"}));
    assertEquals(said, LauncherOptions.problem(new String[] {"--conf=", "-instances", "1"}));
    assertEquals(said, LauncherOptions.problem(new String[] {"-conf", "-instances", "1"}));
    assertNull(LauncherOptions.problem(new String[] {"-conf", "my.json"}));
  }
}
