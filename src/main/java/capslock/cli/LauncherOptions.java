package capslock.cli;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Vert.x launcher's own options that it would take badly, checked before it runs. Vert.x 5.2's
 * launcher gives {@code -instances 0} to the deploy, which throws, and it exits with status 1
 * saying nothing; and it reads {@code -options} and {@code -deployment-options} (a JSON object, or
 * a file holding one) by warning when it cannot and going on without them, a warning
 * conf/logback.xml mutes with the launcher's other noise. A value the launcher cannot parse at all
 * ({@code -instances x}) is left to it: it says so, with its usage, and exit status 2.
 */
final class LauncherOptions {

  static final List<String> CONF = List.of("-conf", "--conf");
  private static final List<String> INSTANCES = List.of("-instances", "--instances");
  private static final List<String> OPTIONS =
      List.of("-options", "--options", "-vertx-options", "--vertx-options");
  private static final List<String> DEPLOYMENT_OPTIONS =
      List.of("-deployment-options", "--deployment-options");

  private LauncherOptions() {}

  /** What is wrong with the launcher's options in {@code args}, in a line, or null when nothing. */
  static String problem(String[] args) {
    String conf = value(args, CONF);
    if (given(args, CONF) && (conf == null || conf.isBlank() || conf.startsWith("-"))) {
      return "-conf needs the name of a configuration file (JSON), as in -conf conf/config.json";
    }
    String instances = value(args, INSTANCES);
    if (instances != null) {
      try {
        int count = Integer.parseInt(instances.trim());
        if (count < 1) {
          return "-instances must be 1 or more, got " + count;
        }
      } catch (NumberFormatException notANumber) { // the launcher's to say
      }
    }
    try {
      String vertx = value(args, OPTIONS);
      if (vertx != null) {
        checkVertxOptions(json("-options", vertx));
      }
      String deployment = value(args, DEPLOYMENT_OPTIONS);
      if (deployment != null) {
        DeploymentOptions options = deploymentOptions(json("-deployment-options", deployment));
        if (instances == null && options.getInstances() < 1) { // -instances would replace it
          return "-deployment-options: instances must be 1 or more, got " + options.getInstances();
        }
      }
    } catch (Unusable e) {
      return e.getMessage();
    }
    return null;
  }

  /** The options as the launcher makes them, which refuse some values (eventLoopPoolSize 0). */
  private static void checkVertxOptions(JsonObject json) {
    try {
      new VertxOptions(json);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new Unusable("-options: " + e.getMessage());
    }
  }

  private static DeploymentOptions deploymentOptions(JsonObject json) {
    try {
      return new DeploymentOptions(json);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new Unusable("-deployment-options: " + e.getMessage());
    }
  }

  /**
   * The value of the option named {@code names} in {@code args} (any case, as the launcher takes
   * them; {@code -name value} or {@code -name=value}), or null.
   */
  static String value(String[] args, List<String> names) {
    for (int i = 0; i < args.length; i++) {
      if (names.contains(name(args[i]))) {
        int equals = args[i].indexOf('=');
        if (equals >= 0) {
          return args[i].substring(equals + 1);
        }
        return i + 1 < args.length ? args[i + 1] : null;
      }
    }
    return null;
  }

  /**
   * Whether the flag named {@code names} is in {@code args} (any case, as the launcher takes it).
   */
  static boolean given(String[] args, List<String> names) {
    return Arrays.stream(args).anyMatch(arg -> names.contains(name(arg)));
  }

  /** {@code args} less the option named {@code names} and its value, read as {@link #value}. */
  static String[] without(String[] args, List<String> names) {
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (!names.contains(name(args[i]))) {
        rest.add(args[i]);
      } else if (args[i].indexOf('=') < 0) {
        i++; // and its value
      }
    }
    return rest.toArray(String[]::new);
  }

  /** An argument's option name, before any {@code =}, in lower case. */
  private static String name(String arg) {
    int equals = arg.indexOf('=');
    return (equals < 0 ? arg : arg.substring(0, equals)).toLowerCase(Locale.ROOT);
  }

  /**
   * {@code value} read as the launcher reads it: a file holding a JSON object, else a JSON object
   * itself.
   */
  private static JsonObject json(String option, String value) {
    if (isFile(value)) {
      try {
        return new JsonObject(Buffer.buffer(Files.readAllBytes(Path.of(value))));
      } catch (IOException e) {
        throw new Unusable(option + " file " + value + " cannot be read");
      } catch (DecodeException e) {
        throw new Unusable(option + " file " + value + " is not a JSON object");
      }
    }
    try {
      return new JsonObject(value);
    } catch (DecodeException e) {
      throw new Unusable(option + " is neither a JSON object nor a file holding one: " + value);
    }
  }

  private static boolean isFile(String value) {
    try {
      return Files.isRegularFile(Path.of(value));
    } catch (InvalidPathException notAPath) {
      return false;
    }
  }

  /** An option's value that cannot be used, and why, in a line. */
  private static final class Unusable extends RuntimeException {
    Unusable(String why) {
      super(why, null, false, false);
    }
  }
}
