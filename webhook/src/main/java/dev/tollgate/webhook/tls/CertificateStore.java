package dev.tollgate.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.logging.Logger;

/**
 * Keeps the webhook's certificates in one Secret, which is how replicas agree on them.
 *
 * <p>Every write is conditional: a missing Secret is created (create-only, so of two replicas
 * starting together one wins and the other gets 409), and a due renewal is an update carrying the
 * {@code resourceVersion} that was read (so of two replicas renewing together one wins and the
 * other gets 409). The loser re-reads and adopts what the winner wrote.
 */
public final class CertificateStore {

  /** What {@link #ensureCurrent()} did. */
  public enum Outcome {
    /** The Secret was missing; this replica wrote it. */
    CREATED,
    /** Something was due; this replica renewed it. */
    RENEWED,
    /** Another replica wrote the Secret while this one tried to; this one uses theirs. */
    ADOPTED,
    /** The Secret was current. */
    UNCHANGED
  }

  /** The material the Secret holds after {@link #ensureCurrent()}, and how it came to. */
  public record Result(TlsMaterial material, Outcome outcome) {}

  // A conflict means another replica just wrote; the re-read sees a current Secret. More than a
  // few conflicts in a row means something else keeps writing the Secret.
  private static final int ATTEMPTS = 5;
  private static final Logger LOG = Logger.getLogger(CertificateStore.class.getName());

  private final KubernetesClient client;
  private final String namespace;
  private final String secretName;
  private final CertificateRotation rotation;

  public CertificateStore(
      KubernetesClient client, String namespace, String secretName, CertificateRotation rotation) {
    this.client = client;
    this.namespace = namespace;
    this.secretName = secretName;
    this.rotation = rotation;
  }

  public String secretName() {
    return secretName;
  }

  /**
   * Reads the Secret and makes it current: creates it when missing, renews what is due, and returns
   * what it then holds. Errors from the API server other than conflicts propagate.
   */
  public Result ensureCurrent() {
    boolean lostRace = false;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
      if (secret == null) {
        TlsMaterial fresh = rotation.fresh();
        if (write(
            () ->
                client
                    .secrets()
                    .inNamespace(namespace)
                    .resource(TlsSecretFormat.toSecret(namespace, secretName, fresh))
                    .create())) {
          LOG.info("created the webhook TLS Secret " + namespace + "/" + secretName);
          return new Result(fresh, Outcome.CREATED);
        }
        LOG.info(
            "another replica created the webhook TLS Secret "
                + namespace
                + "/"
                + secretName
                + " first; using it");
        lostRace = true;
        continue;
      }
      TlsMaterial current = readable(secret);
      TlsMaterial next = current == null ? rotation.fresh() : rotation.next(current);
      if (next == current) {
        return new Result(current, lostRace ? Outcome.ADOPTED : Outcome.UNCHANGED);
      }
      if (write(
          () ->
              client
                  .secrets()
                  .inNamespace(namespace)
                  .resource(replacement(secret, next))
                  .update())) {
        return new Result(next, Outcome.RENEWED);
      }
      LOG.info(
          "another replica renewed the webhook TLS Secret "
              + namespace
              + "/"
              + secretName
              + " first; using it");
      lostRace = true;
    }
    throw new IllegalStateException(
        "the Secret "
            + namespace
            + "/"
            + secretName
            + " changed under every one of "
            + ATTEMPTS
            + " attempts to make it current");
  }

  private TlsMaterial readable(Secret secret) {
    try {
      return TlsSecretFormat.fromSecret(secret);
    } catch (IllegalArgumentException e) {
      LOG.warning(
          "the webhook TLS Secret "
              + namespace
              + "/"
              + secretName
              + " is unusable ("
              + e.getMessage()
              + "); replacing its certificates");
      return null;
    }
  }

  /**
   * The read Secret with new data. It keeps the read {@code resourceVersion} (the update is
   * conditional on it), its labels and annotations (a chart may own them), and its type, which the
   * API server does not let an update change.
   */
  private Secret replacement(Secret read, TlsMaterial material) {
    Secret wanted = TlsSecretFormat.toSecret(namespace, secretName, material);
    return new SecretBuilder(read).withData(wanted.getData()).withStringData(null).build();
  }

  /** True when written, false on a conflict (someone else wrote first). */
  private static boolean write(Runnable request) {
    try {
      request.run();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }
}
