package capslock.operations;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard's files, all from the jar: the page, its script and style, and uPlot (the charts'
 * library, from its webjar). Read once at start, then served from memory; nothing comes from the
 * internet, so the page works on a network without one.
 */
final class StaticFiles {

  /**
   * Gives uPlot's version, which names the webjar's folder: {@code
   * META-INF/resources/webjars/uplot/<version>/}.
   */
  private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  private static final String PAGE = "capslock/dashboard/";
  private static final String HTML = "text/html; charset=utf-8";
  private static final String JS = "text/javascript; charset=utf-8";
  private static final String CSS = "text/css; charset=utf-8";

  /**
   * Scripts and data only from this server: text a client sent (the traffic feed) can never run as
   * script, even if a bug let it into the page as markup. uPlot sizes its elements with styles.
   */
  private static final String POLICY =
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private record File(String contentType, Buffer body) {}

  private final Map<String, File> files;

  private StaticFiles(Map<String, File> files) {
    this.files = files;
  }

  /** Reads the files from the class path, off the event loop. */
  static Future<StaticFiles> load(Vertx vertx) {
    return vertx.executeBlocking(
        () -> {
          String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/";
          Map<String, File> files = new LinkedHashMap<>();
          files.put("/", new File(HTML, read(PAGE + "index.html")));
          files.put("/dashboard.js", new File(JS, read(PAGE + "dashboard.js")));
          files.put("/dashboard.css", new File(CSS, read(PAGE + "dashboard.css")));
          files.put(
              "/uplot/uPlot.iife.min.js", new File(JS, read(uplot + "dist/uPlot.iife.min.js")));
          files.put("/uplot/uPlot.min.css", new File(CSS, read(uplot + "dist/uPlot.min.css")));
          files.put(
              "/uplot/LICENSE", new File("text/plain; charset=utf-8", read(uplot + "LICENSE")));
          return new StaticFiles(files);
        });
  }

  /** Serves the file at {@code path}: false when there is none. */
  boolean serve(String path, HttpServerResponse response) {
    File file = files.get(path);
    if (file == null) {
      return false;
    }
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, file.contentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", POLICY)
        .end(file.body());
    return true;
  }

  /** uPlot's version, as its webjar says (the pom pins it). */
  static String uplotVersion() {
    Properties pom = new Properties();
    try (InputStream in = open(UPLOT_POM)) {
      pom.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pom.getProperty("version");
  }

  private static Buffer read(String resource) {
    try (InputStream in = open(resource)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) throws IOException {
    InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IOException("the jar has no " + resource);
    }
    return in;
  }
}
