package capslock.operations;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A reader of {@code GET /events} (Server-Sent Events) that keeps every event and lets a test await
 * one.
 */
public final class EventStreamClient {

  /** One event: its name ({@code history}, {@code snapshot}) and its JSON data. */
  public record Event(String name, JsonObject data) {}

  private record Waiter(Predicate<Event> which, Promise<Event> promise) {}

  private final HttpClient client; // held: Vert.x closes an unreachable client's connections
  private final Context context; // the response's: every field below is touched only there
  private final List<Event> events = new ArrayList<>();
  private final List<Waiter> waiting = new ArrayList<>();
  private Buffer pending = Buffer.buffer();

  private EventStreamClient(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.context = Vertx.currentContext();
    response.handler(this::onBytes);
  }

  /** Opens the stream; fails unless it answers 200 with {@code text/event-stream}. */
  public static Future<EventStreamClient> open(Vertx vertx, int port) {
    HttpClient client = vertx.createHttpClient();
    return client
        .request(HttpMethod.GET, port, "127.0.0.1", "/events")
        // the handler is set in the callback of send() itself, on the connection's event loop:
        // set one step later, it can miss the first event (vert.x issue 5904)
        .compose(
            request ->
                request
                    .send()
                    .compose(EventStreamClient::accept)
                    .map(response -> new EventStreamClient(client, response)));
  }

  private static Future<HttpClientResponse> accept(HttpClientResponse response) {
    return response.statusCode() == 200
            && String.valueOf(response.getHeader("content-type")).startsWith("text/event-stream")
        ? Future.succeededFuture(response)
        : Future.failedFuture(
            "GET /events answered "
                + response.statusCode()
                + " "
                + response.getHeader("content-type"));
  }

  /** The first event, received or to come, that {@code which} accepts. */
  public Future<Event> next(Predicate<Event> which) {
    Promise<Event> promise = Promise.promise();
    context.runOnContext(
        onOwnEventLoop -> {
          for (Event event : events) {
            if (which.test(event)) {
              promise.complete(event);
              return;
            }
          }
          waiting.add(new Waiter(which, promise));
        });
    return promise.future();
  }

  /** The events received so far. */
  public Future<List<Event>> received() {
    Promise<List<Event>> copy = Promise.promise();
    context.runOnContext(onOwnEventLoop -> copy.complete(List.copyOf(events)));
    return copy.future();
  }

  public Future<Void> close() {
    return client.close();
  }

  /** Events end with an empty line; a chunk may end anywhere, even inside a character. */
  private void onBytes(Buffer bytes) {
    pending.appendBuffer(bytes);
    int start = 0;
    for (int i = 0; i + 1 < pending.length(); i++) {
      if (pending.getByte(i) == '\n' && pending.getByte(i + 1) == '\n') {
        parse(pending.getString(start, i, "UTF-8"));
        start = i + 2;
        i++;
      }
    }
    pending = pending.getBuffer(start, pending.length());
  }

  private void parse(String block) {
    String name = "message";
    StringBuilder data = new StringBuilder();
    for (String line : block.split("\n", -1)) {
      if (line.startsWith("event: ")) {
        name = line.substring("event: ".length());
      } else if (line.startsWith("data: ")) {
        data.append(line.substring("data: ".length()));
      }
    }
    if (data.length() == 0) {
      return; // the retry line
    }
    Event event = new Event(name, new JsonObject(data.toString()));
    events.add(event);
    for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.which().test(event)) {
        it.remove();
        waiter.promise().complete(event);
      }
    }
  }
}
