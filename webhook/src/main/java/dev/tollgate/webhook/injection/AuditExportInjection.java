package dev.tollgate.webhook.injection;

import dev.tollgate.api.SidecarContract.Paths;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AuditExport;
import dev.tollgate.engine.model.PemCertificates;
import dev.tollgate.engine.source.KubernetesNames;
import dev.tollgate.runtime.audit.AuditExportSettings;
import dev.tollgate.runtime.config.Settings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit export written into every decision point, cluster-wide (chart values {@code
 * sidecar.auditExport.*}) or an identity's own ({@code spec.auditExport}): its settings as the
 * sidecar's environment, and the Secret holding its request headers mounted in the sidecar alone.
 *
 * @param settings empty: no export, nothing injected
 * @param headersSecret the Secret, in each agent's namespace, whose keys are header names and
 *     values header values; empty for none. Not optional in the pod: a pod whose namespace lacks it
 *     stays pending with an Event naming it, rather than exporting without its credentials.
 * @param caBundle PEM certificates the sidecar trusts for the endpoint instead of the JDK's roots;
 *     empty for the roots
 * @param identityReceivers where an identity's own {@code spec.auditExport} may point
 */
public record AuditExportInjection(
    Optional<AuditExportSettings> settings,
    String headersSecret,
    String caBundle,
    IdentityReceivers identityReceivers) {

  public static final AuditExportInjection NONE = new AuditExportInjection(Optional.empty(), "");

  static final String HEADERS_VOLUME = "tollgate-audit-export-headers";

  /** The variable naming the headers Secret: the webhook's alone, never a sidecar's. */
  public static final String HEADERS_SECRET = "TOLLGATE_AUDIT_EXPORT_HEADERS_SECRET";

  /** The webhook's flags: the sidecar's export flags, its CA bundle, and the headers Secret. */
  public static final Map<String, String> FLAGS = flags();

  private static Map<String, String> flags() {
    Map<String, String> flags = new HashMap<>(AuditExportSettings.FLAGS);
    flags.put("--audit-export-headers-secret", HEADERS_SECRET);
    flags.put("--audit-export-ca-bundle", AuditExportSettings.CA_BUNDLE);
    flags.put(IdentityReceivers.FLAG, IdentityReceivers.VARIABLE);
    return Map.copyOf(flags);
  }

  /**
   * The cluster-wide export from the webhook's settings, checked as the sidecar checks them, plus
   * the headers Secret's name and the CA bundle's certificates; problems go to {@code settings} by
   * flag and variable, so a bad export stops the webhook rather than every agent pod.
   */
  public static AuditExportInjection read(Settings settings) {
    Optional<AuditExportSettings> export = AuditExportSettings.read(settings);
    String headersSecret = settings.get(HEADERS_SECRET, "");
    if (!headersSecret.isEmpty() && !KubernetesNames.isDnsSubdomain(headersSecret)) {
      settings.problem(HEADERS_SECRET, "must be a Secret name, got '" + headersSecret + "'");
    }
    String caBundle = settings.get(AuditExportSettings.CA_BUNDLE, "");
    if (!caBundle.isEmpty()) {
      try {
        PemCertificates.parse(caBundle);
      } catch (CertificateException | RuntimeException e) {
        settings.problem(
            AuditExportSettings.CA_BUNDLE, "must be PEM certificates: " + e.getMessage());
      }
    }
    if (!headersSecret.isEmpty() && settings.find(AuditExportSettings.ENDPOINT).isEmpty()) {
      settings.problem(
          HEADERS_SECRET,
          "needs " + settings.describe(AuditExportSettings.ENDPOINT) + ": headers for no export");
    }
    return new AuditExportInjection(
        export, headersSecret, caBundle, IdentityReceivers.read(settings));
  }

  public AuditExportInjection {
    headersSecret = headersSecret == null ? "" : headersSecret;
    caBundle = caBundle == null ? "" : caBundle;
    identityReceivers = identityReceivers == null ? IdentityReceivers.NONE : identityReceivers;
  }

  /** With the JDK's trust roots, and no receiver an identity may choose. */
  public AuditExportInjection(Optional<AuditExportSettings> settings, String headersSecret) {
    this(settings, headersSecret, "", IdentityReceivers.NONE);
  }

  /**
   * Every export variable, those an identity sets named by its fields (the rest stay the cluster's,
   * under their flags).
   */
  private static final Map<String, String> IDENTITY_FIELDS = identityFields();

  private static Map<String, String> identityFields() {
    Map<String, String> fields = new HashMap<>(AuditExportSettings.FLAGS);
    fields.values().removeAll(List.of(AuditExportSettings.ENDPOINT, AuditExportSettings.PROTOCOL));
    fields.put("spec.auditExport.endpoint", AuditExportSettings.ENDPOINT);
    fields.put("spec.auditExport.protocol", AuditExportSettings.PROTOCOL);
    return Map.copyOf(fields);
  }

  /** An identity's export, or what is wrong with it. */
  private record Resolution(AuditExportInjection injection, List<String> problems) {}

  /**
   * The export for the pods of {@code identity}: its own {@code spec.auditExport} when it has one
   * and its receiver is one of {@link #identityReceivers} (with this export's batching, and only
   * its own headers Secret: the cluster's credentials never go to an endpoint an identity chose),
   * else this one. Nor the cluster's CA bundle, which would replace the JDK's roots for an endpoint
   * it does not vouch for.
   *
   * @throws IllegalArgumentException when the identity's export is invalid ({@link #refusalFor})
   */
  AuditExportInjection forIdentity(AgentIdentity identity) {
    Resolution resolution = resolve(identity);
    if (!resolution.problems().isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", resolution.problems()));
    }
    return resolution.injection();
  }

  /** Why pods of {@code identity} cannot get its audit export, checked as the sidecar would. */
  public Optional<String> refusalFor(AgentIdentity identity) {
    List<String> problems = resolve(identity).problems();
    return problems.isEmpty()
        ? Optional.empty()
        : Optional.of(
            "AgentIdentity "
                + identity.getMetadata().getNamespace()
                + "/"
                + identity.getMetadata().getName()
                + " has an invalid spec.auditExport: "
                + String.join("; ", problems));
  }

  private Resolution resolve(AgentIdentity identity) {
    AuditExport own = identity.getSpec().getAuditExport();
    if (own == null) {
      return new Resolution(this, List.of());
    }
    Map<String, String> env =
        new HashMap<>(settings.map(AuditExportSettings::toEnv).orElse(Map.of()));
    env.put(AuditExportSettings.ENDPOINT, own.getEndpoint() == null ? "" : own.getEndpoint());
    env.put(AuditExportSettings.PROTOCOL, own.protocolOrDefault());
    Settings fields = new Settings(env, new String[0], IDENTITY_FIELDS);
    Optional<AuditExportSettings> export = AuditExportSettings.read(fields);
    List<String> problems = new ArrayList<>(fields.problems());
    if (export.isEmpty() && problems.isEmpty()) {
      problems.add("spec.auditExport.endpoint is required");
    }
    if (export.isPresent() && !identityReceivers.allows(export.get().endpoint())) {
      problems.add(
          "spec.auditExport.endpoint "
              + export.get().endpoint()
              + " is not a receiver the cluster lets identities choose ("
              + IdentityReceivers.FLAG
              + ": "
              + identityReceivers.describe()
              + ")");
    }
    String secret = own.getHeadersSecret() == null ? "" : own.getHeadersSecret();
    if (!secret.isEmpty() && !KubernetesNames.isDnsSubdomain(secret)) {
      problems.add("spec.auditExport.headersSecret must be a Secret name, got '" + secret + "'");
    }
    return new Resolution(new AuditExportInjection(export, secret), problems);
  }

  private boolean mountsHeaders() {
    return settings.isPresent() && !headersSecret.isEmpty();
  }

  static boolean isSidecarOnlyVolume(String name) {
    return name.equals(HEADERS_VOLUME);
  }

  /** Adds the headers volume to the pod's {@code volumes} and the settings to {@code sidecar}. */
  void wire(List<Volume> volumes, Container sidecar) {
    addVolume(volumes);
    wireSidecar(sidecar);
  }

  private void addVolume(List<Volume> volumes) {
    if (mountsHeaders()) {
      SidecarInjection.put(
          volumes,
          Volume::getName,
          new VolumeBuilder()
              .withName(HEADERS_VOLUME)
              .withNewSecret()
              .withSecretName(headersSecret)
              // Root owns a Secret's files; only the sidecar mounts it (the lockdown sees to that).
              .withDefaultMode(0444)
              .endSecret()
              .build());
    }
  }

  private void wireSidecar(Container sidecar) {
    if (settings.isEmpty()) {
      return;
    }
    List<EnvVar> env = new ArrayList<>(sidecar.getEnv() == null ? List.of() : sidecar.getEnv());
    settings
        .get()
        .toEnv()
        .forEach(
            (name, value) ->
                SidecarInjection.put(env, EnvVar::getName, SidecarContainers.env(name, value)));
    if (!caBundle.isEmpty()) {
      SidecarInjection.put(
          env, EnvVar::getName, SidecarContainers.env(AuditExportSettings.CA_BUNDLE, caBundle));
    }
    if (mountsHeaders()) {
      SidecarInjection.put(
          env,
          EnvVar::getName,
          SidecarContainers.env(AuditExportSettings.HEADERS_DIR, Paths.AUDIT_EXPORT_HEADERS_DIR));
      List<VolumeMount> mounts =
          new ArrayList<>(
              sidecar.getVolumeMounts() == null ? List.of() : sidecar.getVolumeMounts());
      mounts.add(SidecarContainers.mount(HEADERS_VOLUME, Paths.AUDIT_EXPORT_HEADERS_DIR, true));
      sidecar.setVolumeMounts(mounts);
    }
    sidecar.setEnv(env);
  }
}
