package dev.tollgate.webhook.delegation;

import dev.tollgate.api.delegation.PublicKeyRing;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the signing keys in a Secret of Tollgate's namespace (created with one key on first start;
 * replicas that race read the winner's) and publishes their public halves in a ConfigMap of the
 * same name, data key {@link #PUBLIC_KEYS}, which sidecars read to verify the proof they start
 * with. Re-reads the Secret periodically, so a key an operator adds and activates is used without a
 * restart.
 */
public final class SigningKeyStore implements Supplier<SigningKeyRing>, AutoCloseable {

  private static final String PUBLIC_KEYS = PublicKeyRing.CONFIG_MAP_KEY;

  private static final Logger LOG = Logger.getLogger(SigningKeyStore.class.getName());
  private static final DateTimeFormatter KEY_ID =
      DateTimeFormatter.ofPattern("'k'yyyyMMdd'-'HHmmss").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final Clock clock;
  private final ScheduledExecutorService refresher;
  private volatile SigningKeyRing ring;

  private SigningKeyStore(KubernetesClient client, String namespace, String name, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.clock = clock;
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "tollgate-delegation-keys");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Loads (or creates) the keys, publishes the public ones, and refreshes every {@code every}. */
  public static SigningKeyStore start(
      KubernetesClient client, String namespace, String name, Clock clock, Duration every) {
    SigningKeyStore store = new SigningKeyStore(client, namespace, name, clock);
    store.refresh();
    store.refresher.scheduleWithFixedDelay(
        () -> {
          try {
            store.refresh();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "re-reading delegation keys failed; keeping the last ones", e);
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return store;
  }

  @Override
  public SigningKeyRing get() {
    return ring;
  }

  void refresh() {
    SigningKeyRing loaded = loadOrCreate();
    ring = loaded;
    publish(loaded);
  }

  private SigningKeyRing loadOrCreate() {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      SigningKeyRing created = SigningKeyRing.generate(KEY_ID.format(clock.instant()));
      try {
        client
            .secrets()
            .inNamespace(namespace)
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/managed-by", "tollgate-webhook")
                    .endMetadata()
                    .withType("Opaque")
                    .withStringData(created.toFiles())
                    .build())
            .create();
        LOG.info("created delegation signing key " + created.activeId() + " in " + where());
        return created;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        secret = client.secrets().inNamespace(namespace).withName(name).require();
      }
    }
    Map<String, String> files = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (key, value) ->
                  files.put(
                      key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    }
    try {
      return SigningKeyRing.fromFiles(files);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Secret " + where() + ": " + e.getMessage(), e);
    }
  }

  private void publish(SigningKeyRing keys) {
    String encoded = keys.publicKeys().encode();
    ConfigMap existing = client.configMaps().inNamespace(namespace).withName(name).get();
    if (existing != null
        && existing.getData() != null
        && Objects.equals(existing.getData().get(PUBLIC_KEYS), encoded)) {
      return;
    }
    ConfigMap published =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/managed-by", "tollgate-webhook")
            .endMetadata()
            .withData(Map.of(PUBLIC_KEYS, encoded))
            .build();
    if (existing == null) {
      try {
        client.configMaps().inNamespace(namespace).resource(published).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
      return;
    }
    // A replica that races this one writes the same keys; the loser's conflict is retried at the
    // next refresh.
    published.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    client.configMaps().inNamespace(namespace).resource(published).update();
  }

  private String where() {
    return namespace + "/" + name;
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
