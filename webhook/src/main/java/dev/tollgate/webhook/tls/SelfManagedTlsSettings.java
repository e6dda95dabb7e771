package dev.tollgate.webhook.tls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SelfManagedTls} manages: the Secret holding the certificates, the names the serving
 * certificate must carry, the webhook configurations that get the CA bundle, how often to check,
 * and the certificate lifetimes.
 */
public record SelfManagedTlsSettings(
    String namespace,
    String secretName,
    ServiceNames names,
    List<String> mutatingWebhookConfigurations,
    List<String> validatingWebhookConfigurations,
    Duration checkInterval,
    RotationPolicy policy) {

  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(1);

  public SelfManagedTlsSettings {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(secretName, "secretName");
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(checkInterval, "checkInterval");
    Objects.requireNonNull(policy, "policy");
    mutatingWebhookConfigurations = List.copyOf(mutatingWebhookConfigurations);
    validatingWebhookConfigurations = List.copyOf(validatingWebhookConfigurations);
  }

  /**
   * The Service {@code service} in {@code namespace}, checked every minute, with the default
   * lifetimes.
   */
  public static SelfManagedTlsSettings of(String namespace, String service, String secretName) {
    return new SelfManagedTlsSettings(
        namespace,
        secretName,
        ServiceNames.of(service, namespace),
        List.of(),
        List.of(),
        DEFAULT_CHECK_INTERVAL,
        RotationPolicy.DEFAULT);
  }

  public SelfManagedTlsSettings withNames(ServiceNames names) {
    return new SelfManagedTlsSettings(
        namespace,
        secretName,
        names,
        mutatingWebhookConfigurations,
        validatingWebhookConfigurations,
        checkInterval,
        policy);
  }

  public SelfManagedTlsSettings withWebhookConfigurations(
      List<String> mutating, List<String> validating) {
    return new SelfManagedTlsSettings(
        namespace, secretName, names, mutating, validating, checkInterval, policy);
  }

  public SelfManagedTlsSettings withCheckInterval(Duration checkInterval) {
    return new SelfManagedTlsSettings(
        namespace,
        secretName,
        names,
        mutatingWebhookConfigurations,
        validatingWebhookConfigurations,
        checkInterval,
        policy);
  }

  public SelfManagedTlsSettings withPolicy(RotationPolicy policy) {
    return new SelfManagedTlsSettings(
        namespace,
        secretName,
        names,
        mutatingWebhookConfigurations,
        validatingWebhookConfigurations,
        checkInterval,
        policy);
  }
}
