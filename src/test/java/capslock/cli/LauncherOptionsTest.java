package capslock.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
  void leavesOutAnOptionAndItsValueWhicheverItsSpelling() {
    assertArrayEquals(
        new String[] {"-instances", "2", "-cluster"},
        LauncherOptions.without(
            new String[] {"-instances", "2", "-Conf", "a.json", "--conf=b.json", "-cluster"},
            CONF));
  }
}
