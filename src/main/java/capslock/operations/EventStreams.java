package capslock.operations;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open {@code GET /events} streams (Server-Sent Events) and what each was sent. A snapshot is
 * written to every stream whose client keeps up; a stream whose write queue is full (its client
 * does not read) skips it, so the server never holds more than {@link #QUEUE_BYTES} (plus one
 * event) per stream, and at most {@link #MAX_STREAMS} streams: its memory stays bounded whatever
 * the clients do. A closed stream is forgotten. Used on the operations event loop only.
 */
final class EventStreams {

  /** The write queue of one stream above which it skips snapshots: some seconds of them. */
  static final int QUEUE_BYTES = 32 * 1024;

  /** Streams open at once; one more is refused (503). */
  static final int MAX_STREAMS = 64;

  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

  /** What one stream was sent, and what it skipped because its client did not read (for tests). */
  record Stats(
      String client,
      long eventsWritten,
      long bytesWritten,
      long eventsSkipped,
      boolean writeQueueFull) {}

  private static final class Stream {
    final String client;
    long eventsWritten;
    long bytesWritten;
    long eventsSkipped;

    private Stream(String client) {
      this.client = client;
    }
  }

  private final Map<HttpServerResponse, Stream> open = new LinkedHashMap<>();

  /**
   * Answers {@code request} with an event stream, whose first event is {@code first} (the history,
   * so that the page draws the last minutes at once); the snapshots follow.
   */
  void open(HttpServerRequest request, Supplier<Buffer> first) {
    HttpServerResponse response = request.response();
    if (open.size() >= MAX_STREAMS) {
      response
          .setStatusCode(503)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end("Too many dashboards open at once (" + MAX_STREAMS + "); try again later\n");
      return;
    }
    // the headers a stream would have, and no stream
    if (HttpMethod.HEAD.equals(request.method())) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8").end();
      return;
    }
    Stream stream = new Stream(String.valueOf(request.remoteAddress()));
    open.put(response, stream);
    response
        .closeHandler(closed -> forget(response))
        .exceptionHandler(
            failure -> log.debug("Dashboard stream to {}: {}", stream.client, failure.getMessage()))
        .setChunked(true)
        .setWriteQueueMaxSize(QUEUE_BYTES)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no"); // a proxy in front passes each event at once
    log.debug("Dashboard stream to {} opened", stream.client);
    write(response, stream, Buffer.buffer("retry: 2000\n\n").appendBuffer(first.get()));
  }

  /** Sends {@code event} to every stream that can take it; the others skip it. */
  void publish(Buffer event) {
    open.forEach(
        (response, stream) -> {
          if (response.writeQueueFull()) {
            if (stream.eventsSkipped++ == 0) {
              log.debug(
                  "Dashboard client {} does not read its events: skipping them until it does",
                  stream.client);
            }
          } else {
            write(response, stream, event);
          }
        });
  }

  private static void write(HttpServerResponse response, Stream stream, Buffer event) {
    response.write(event);
    stream.eventsWritten++;
    stream.bytesWritten += event.length();
  }

  private void forget(HttpServerResponse response) {
    Stream stream = open.remove(response);
    if (stream != null) {
      log.debug(
          "Dashboard stream to {} closed: {} events sent, {} skipped",
          stream.client,
          stream.eventsWritten,
          stream.eventsSkipped);
    }
  }

  /** Whether any stream is open (then the snapshots carry a fresh health report). */
  boolean any() {
    return !open.isEmpty();
  }

  /** The streams open now, for tests. */
  List<Stats> stats() {
    List<Stats> stats = new ArrayList<>();
    open.forEach(
        (response, stream) ->
            stats.add(
                new Stats(
                    stream.client,
                    stream.eventsWritten,
                    stream.bytesWritten,
                    stream.eventsSkipped,
                    response.writeQueueFull())));
    return stats;
  }

  /**
   * One Server-Sent Event: {@code event: name} and its data on one line (JSON has no raw newline).
   */
  static Buffer event(String name, String data) {
    return Buffer.buffer("event: " + name + "\ndata: " + data + "\n\n");
  }
}
