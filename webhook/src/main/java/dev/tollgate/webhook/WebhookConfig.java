package dev.tollgate.webhook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook's whole configuration, from environment variables and flags (a flag wins),
 * validated at start: every bad setting is reported by name.
 *
 * @param tlsMode {@code self-managed} (a CA and certificate in a Secret, rotated and reloaded) or
 *     {@code files} (tls.crt/tls.key in {@code certDir}, e.g. from cert-manager)
 * @param ipSans extra IP addresses for the self-managed certificate (127.0.0.1 for a local control plane)
 * @param nativeSidecars {@code auto} (from the API server's version: 1.29+), {@code true} or {@code false}
 */
public record WebhookConfig(
    int port,
    int metricsPort,
    String namespace,
    String service,
    String tlsMode,
    Path certDir,
    String tlsSecret,
    List<String> ipSans,
    List<String> mutatingConfigurations,
    List<String> validatingConfigurations,
    String sidecarImage,
    String imagePullPolicy,
    List<String> sidecarJvmOptions,
    String nativeSidecars) {

  /** Environment variable names. */
  public static final class Env {
    public static final String PORT = "TOLLGATE_WEBHOOK_PORT";
    public static final String METRICS_PORT = "TOLLGATE_METRICS_PORT";
    public static final String NAMESPACE = "POD_NAMESPACE";
    public static final String SERVICE = "TOLLGATE_WEBHOOK_SERVICE";
    public static final String TLS = "TOLLGATE_WEBHOOK_TLS";
    public static final String CERT_DIR = "TOLLGATE_WEBHOOK_CERT_DIR";
    public static final String TLS_SECRET = "TOLLGATE_WEBHOOK_TLS_SECRET";
    public static final String IP_SANS = "TOLLGATE_WEBHOOK_IP_SANS";
    public static final String MUTATING = "TOLLGATE_MUTATING_WEBHOOK_CONFIGURATIONS";
    public static final String VALIDATING = "TOLLGATE_VALIDATING_WEBHOOK_CONFIGURATIONS";
    public static final String SIDECAR_IMAGE = "TOLLGATE_SIDECAR_IMAGE";
    public static final String PULL_POLICY = "TOLLGATE_SIDECAR_PULL_POLICY";
    public static final String SIDECAR_JVM_OPTIONS = "TOLLGATE_SIDECAR_JVM_OPTIONS";
    public static final String NATIVE_SIDECARS = "TOLLGATE_NATIVE_SIDECARS";

    private Env() {}
  }

  /** The JVM flags the sidecar runs with by default (see sidecar/jvm.options and its benchmark). */
  public static final String DEFAULT_SIDECAR_JVM_OPTIONS =
      "-XX:+UseSerialGC -Xms32m -Xmx64m -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m -XX:-UsePerfData "
          + "-Xshare:auto -XX:+ExitOnOutOfMemoryError";

  private static final Map<String, String> FLAGS = Map.ofEntries(
      Map.entry("--port", Env.PORT),
      Map.entry("--metrics-port", Env.METRICS_PORT),
      Map.entry("--namespace", Env.NAMESPACE),
      Map.entry("--service", Env.SERVICE),
      Map.entry("--tls", Env.TLS),
      Map.entry("--cert-dir", Env.CERT_DIR),
      Map.entry("--tls-secret", Env.TLS_SECRET),
      Map.entry("--ip-sans", Env.IP_SANS),
      Map.entry("--mutating-configurations", Env.MUTATING),
      Map.entry("--validating-configurations", Env.VALIDATING),
      Map.entry("--sidecar-image", Env.SIDECAR_IMAGE),
      Map.entry("--sidecar-pull-policy", Env.PULL_POLICY),
      Map.entry("--sidecar-jvm-options", Env.SIDECAR_JVM_OPTIONS),
      Map.entry("--native-sidecars", Env.NATIVE_SIDECARS));

  public static WebhookConfig from(Map<String, String> env, String[] args) throws WebhookConfigException {
    List<String> problems = new ArrayList<>();
    Map<String, String> settings = new HashMap<>();
    FLAGS.values().forEach(name -> {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        settings.put(name, value.strip());
      }
    });
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String name = FLAGS.get(flag);
      if (name == null) {
        problems.add("unknown option " + flag + " (known: " + String.join(", ", FLAGS.keySet().stream().sorted().toList()) + ")");
        if (!arg.contains("=") && i + 1 < args.length && !args[i + 1].startsWith("-")) {
          i++;
        }
      } else if (arg.contains("=")) {
        settings.put(name, arg.substring(arg.indexOf('=') + 1));
      } else if (i + 1 < args.length) {
        settings.put(name, args[++i]);
      } else {
        problems.add(flag + " needs a value");
      }
    }
    int port = port(settings.getOrDefault(Env.PORT, "8443"), "--port", problems);
    int metricsPort = port(settings.getOrDefault(Env.METRICS_PORT, "8080"), "--metrics-port", problems);
    String namespace = settings.getOrDefault(Env.NAMESPACE, "");
    if (namespace.isEmpty()) {
      problems.add("--namespace (" + Env.NAMESPACE + ") is required: Tollgate's own namespace, never intercepted");
    }
    String tls = settings.getOrDefault(Env.TLS, "self-managed");
    if (!tls.equals("self-managed") && !tls.equals("files")) {
      problems.add("--tls (" + Env.TLS + ") must be self-managed or files, got '" + tls + "'");
    }
    String certDir = settings.getOrDefault(Env.CERT_DIR, "");
    if (tls.equals("files") && certDir.isEmpty()) {
      problems.add("--cert-dir (" + Env.CERT_DIR + ") is required with --tls files");
    }
    String image = settings.getOrDefault(Env.SIDECAR_IMAGE, "");
    if (image.isEmpty()) {
      problems.add("--sidecar-image (" + Env.SIDECAR_IMAGE + ") is required: the image the decision point runs from");
    }
    String pullPolicy = settings.getOrDefault(Env.PULL_POLICY, "IfNotPresent");
    if (!List.of("Always", "IfNotPresent", "Never").contains(pullPolicy)) {
      problems.add("--sidecar-pull-policy must be Always, IfNotPresent or Never, got '" + pullPolicy + "'");
    }
    String nativeSidecars = settings.getOrDefault(Env.NATIVE_SIDECARS, "auto");
    if (!List.of("auto", "true", "false").contains(nativeSidecars)) {
      problems.add("--native-sidecars (" + Env.NATIVE_SIDECARS + ") must be auto, true or false, got '" + nativeSidecars + "'");
    }
    if (!problems.isEmpty()) {
      throw new WebhookConfigException(problems);
    }
    return new WebhookConfig(port, metricsPort, namespace, settings.getOrDefault(Env.SERVICE, "tollgate-webhook"), tls,
        certDir.isEmpty() ? null : Path.of(certDir), settings.getOrDefault(Env.TLS_SECRET, "tollgate-webhook-tls"),
        list(settings.get(Env.IP_SANS)), list(settings.getOrDefault(Env.MUTATING, "tollgate")),
        list(settings.getOrDefault(Env.VALIDATING, "tollgate")), image, pullPolicy,
        Arrays.stream(settings.getOrDefault(Env.SIDECAR_JVM_OPTIONS, DEFAULT_SIDECAR_JVM_OPTIONS).split("\\s+"))
            .filter(s -> !s.isEmpty()).toList(),
        nativeSidecars);
  }

  private static List<String> list(String text) {
    return text == null ? List.of() : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static int port(String text, String what, List<String> problems) {
    try {
      int value = Integer.parseInt(text.strip());
      if (value < 0 || value > 65_535) {
        problems.add(what + " must be between 0 and 65535, got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(what + " must be a whole number, got '" + text + "'");
      return 0;
    }
  }
}
