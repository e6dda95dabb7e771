package dev.tollgate.webhook.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts the CA bundle into {@code clientConfig.caBundle} of every webhook in the named Mutating- and
 * ValidatingWebhookConfigurations, so the API server trusts the serving certificate.
 *
 * <p>A configuration is written only when one of its webhooks differs, so replicas checking every
 * minute cause no writes. A missing configuration (not installed yet, or being reinstalled) is
 * reported and left for the next check.
 */
public final class CaBundlePatcher {

  /** Configurations written this time, and configurations not found. */
  public record Outcome(List<String> patched, List<String> missing) {
    public boolean complete() {
      return missing.isEmpty();
    }
  }

  private static final Logger LOG = Logger.getLogger(CaBundlePatcher.class.getName());

  private final KubernetesClient client;
  private final List<String> mutatingConfigurations;
  private final List<String> validatingConfigurations;
  // Missing configurations are reported once at INFO, not every minute.
  private final Set<String> reportedMissing = ConcurrentHashMap.newKeySet();

  public CaBundlePatcher(
      KubernetesClient client,
      List<String> mutatingConfigurations,
      List<String> validatingConfigurations) {
    this.client = client;
    this.mutatingConfigurations = List.copyOf(mutatingConfigurations);
    this.validatingConfigurations = List.copyOf(validatingConfigurations);
  }

  public Outcome patch(String caBundlePem) {
    String caBundle =
        Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.US_ASCII));
    List<String> patched = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : mutatingConfigurations) {
      patchOne(
          "MutatingWebhookConfiguration/" + name,
          client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name),
          MutatingWebhookConfiguration::getWebhooks,
          MutatingWebhook::getClientConfig,
          caBundle,
          patched,
          missing);
    }
    for (String name : validatingConfigurations) {
      patchOne(
          "ValidatingWebhookConfiguration/" + name,
          client.admissionRegistration().v1().validatingWebhookConfigurations().withName(name),
          ValidatingWebhookConfiguration::getWebhooks,
          ValidatingWebhook::getClientConfig,
          caBundle,
          patched,
          missing);
    }
    report(patched, missing);
    return new Outcome(List.copyOf(patched), List.copyOf(missing));
  }

  private static <C, W> void patchOne(
      String label,
      Resource<C> resource,
      Function<C, List<W>> webhooks,
      Function<W, WebhookClientConfig> clientConfig,
      String caBundle,
      List<String> patched,
      List<String> missing) {
    C configuration = resource.get();
    if (configuration == null) {
      missing.add(label);
    } else if (!carries(webhooks.apply(configuration), clientConfig, caBundle)) {
      // edit re-reads and sends a JSON patch of only the caBundle fields that changed.
      resource.edit(
          latest -> {
            setAll(webhooks.apply(latest), clientConfig, caBundle);
            return latest;
          });
      patched.add(label);
    }
  }

  private void report(List<String> patched, List<String> missing) {
    for (String label : patched) {
      LOG.info("patched the CA bundle into " + label);
    }
    for (String label : missing) {
      Level level = reportedMissing.add(label) ? Level.INFO : Level.FINE;
      LOG.log(level, label + " not found; the CA bundle will be patched into it when it appears");
    }
    reportedMissing.retainAll(missing);
  }

  private static <W> boolean carries(
      List<W> webhooks, Function<W, WebhookClientConfig> clientConfig, String caBundle) {
    if (webhooks == null) {
      return true;
    }
    for (W webhook : webhooks) {
      WebhookClientConfig config = clientConfig.apply(webhook);
      if (config != null && !Objects.equals(config.getCaBundle(), caBundle)) {
        return false;
      }
    }
    return true;
  }

  // A webhook without clientConfig is invalid and the API server would not have stored it; skip
  // rather than invent one.
  private static <W> void setAll(
      List<W> webhooks, Function<W, WebhookClientConfig> clientConfig, String caBundle) {
    if (webhooks == null) {
      return;
    }
    for (W webhook : webhooks) {
      WebhookClientConfig config = clientConfig.apply(webhook);
      if (config != null) {
        config.setCaBundle(caBundle);
      }
    }
  }
}
