package capslock.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpenFilesTest {

  @Test
  void theConnectionsThatFitAreWhatIsLeftOfTheFilesLessWhatIsKept() {
    assertEquals(
        20_000 - 30 - 100 - OpenFiles.ACCEPTING - OpenFiles.SPARE,
        new OpenFiles(20_000, 30).connectionsThatFit(100));
    assertEquals(
        20_000 - 30 - OpenFiles.ACCEPTING - OpenFiles.SPARE,
        new OpenFiles(20_000, 30).connectionsThatFit(0));
  }

  @Test
  void aSmallLimitKeepsAQuarterOfItForConnectionsBeingAccepted() {
    assertEquals(
        1_024 - 20 - 164 - 256 - OpenFiles.SPARE, new OpenFiles(1_024, 20).connectionsThatFit(164));
  }

  @Test
  void atLeastOneAndAtMostAnInt() {
    assertEquals(1, new OpenFiles(100, 90).connectionsThatFit(100));
    assertEquals(Integer.MAX_VALUE, new OpenFiles(Long.MAX_VALUE, 0).connectionsThatFit(0));
  }

  @Test
  void thisProcessCanTell() {
    OpenFiles files = OpenFiles.now();
    assertTrue(files.open() > 0 && files.open() < files.max(), files.toString());
  }
}
