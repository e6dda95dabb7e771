package dev.tollgate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CaBundlePatcherTest {

  static final String MUTATING = "tollgate-injection";
  static final String VALIDATING = "tollgate-validation";

  KubernetesClient client;

  private final TlsMaterial material =
      new CertificateRotation(
              ServiceNames.of("tollgate-webhook", "tollgate-system"),
              RotationPolicy.DEFAULT,
              Clock.systemUTC())
          .fresh();

  @Test
  void patchesEveryWebhookOnceAndThenLeavesThemAlone() {
    createConfigurations(client);
    CaBundlePatcher patcher = new CaBundlePatcher(client, List.of(MUTATING), List.of(VALIDATING));

    CaBundlePatcher.Outcome first = patcher.patch(material.caBundlePem());

    assertThat(first.patched())
        .containsExactly(
            "MutatingWebhookConfiguration/" + MUTATING,
            "ValidatingWebhookConfiguration/" + VALIDATING);
    assertThat(first.complete()).isTrue();
    String expected =
        Base64.getEncoder()
            .encodeToString(material.caBundlePem().getBytes(StandardCharsets.US_ASCII));
    assertThat(mutating().getWebhooks())
        .extracting(webhook -> webhook.getClientConfig().getCaBundle())
        .containsExactly(expected, expected);
    assertThat(validating().getWebhooks())
        .extracting(webhook -> webhook.getClientConfig().getCaBundle())
        .containsExactly(expected);
    // The rest of the configuration is untouched.
    assertThat(mutating().getWebhooks().get(0).getClientConfig().getService().getName())
        .isEqualTo("tollgate-webhook");
    assertThat(mutating().getWebhooks().get(1).getFailurePolicy()).isEqualTo("Fail");

    String mutatingVersion = mutating().getMetadata().getResourceVersion();
    String validatingVersion = validating().getMetadata().getResourceVersion();
    CaBundlePatcher.Outcome second = patcher.patch(material.caBundlePem());

    assertThat(second.patched()).isEmpty();
    assertThat(second.complete()).isTrue();
    assertThat(mutating().getMetadata().getResourceVersion()).isEqualTo(mutatingVersion);
    assertThat(validating().getMetadata().getResourceVersion()).isEqualTo(validatingVersion);
  }

  @Test
  void aMissingConfigurationIsReportedAndPatchedOnceItAppears() {
    CaBundlePatcher patcher = new CaBundlePatcher(client, List.of(MUTATING), List.of(VALIDATING));

    CaBundlePatcher.Outcome early = patcher.patch(material.caBundlePem());

    assertThat(early.complete()).isFalse();
    assertThat(early.missing())
        .containsExactly(
            "MutatingWebhookConfiguration/" + MUTATING,
            "ValidatingWebhookConfiguration/" + VALIDATING);

    createConfigurations(client);
    CaBundlePatcher.Outcome later = patcher.patch(material.caBundlePem());

    assertThat(later.complete()).isTrue();
    assertThat(later.patched()).hasSize(2);
  }

  @Test
  void aNewBundleReplacesTheOldOne() {
    createConfigurations(client);
    CaBundlePatcher patcher = new CaBundlePatcher(client, List.of(MUTATING), List.of(VALIDATING));
    patcher.patch(material.caBundlePem());
    String both = material.caBundlePem() + Pem.encodeCertificate(material.signer().certificate());

    assertThat(patcher.patch(both).patched()).hasSize(2);

    assertThat(
            new String(
                Base64.getDecoder()
                    .decode(validating().getWebhooks().get(0).getClientConfig().getCaBundle()),
                StandardCharsets.US_ASCII))
        .isEqualTo(both);
  }

  /** What the chart installs: webhooks pointing at the Service, without a caBundle yet. */
  static void createConfigurations(KubernetesClient client) {
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(
            new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(MUTATING)
                .endMetadata()
                .withWebhooks(
                    mutatingWebhook("inject.tollgate.dev"),
                    mutatingWebhook("reinject.tollgate.dev"))
                .build())
        .create();
    client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(
            new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(VALIDATING)
                .endMetadata()
                .addNewWebhook()
                .withName("validate.tollgate.dev")
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withNewClientConfig()
                .withNewService()
                .withName("tollgate-webhook")
                .withNamespace("tollgate-system")
                .withPath("/validate")
                .endService()
                .endClientConfig()
                .endWebhook()
                .build())
        .create();
  }

  private static MutatingWebhook mutatingWebhook(String name) {
    return new MutatingWebhookBuilder()
        .withName(name)
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        .withFailurePolicy("Fail")
        .withNewClientConfig()
        .withNewService()
        .withName("tollgate-webhook")
        .withNamespace("tollgate-system")
        .withPath("/mutate")
        .endService()
        .endClientConfig()
        .build();
  }

  private MutatingWebhookConfiguration mutating() {
    return client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(MUTATING)
        .get();
  }

  private ValidatingWebhookConfiguration validating() {
    return client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName(VALIDATING)
        .get();
  }
}
