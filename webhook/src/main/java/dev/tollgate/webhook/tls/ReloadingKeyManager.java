package dev.tollgate.webhook.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server key manager whose one key and certificate can be replaced while the server runs.
 *
 * <p>The JDK asks the key manager for the alias, key and chain during every full handshake, so a
 * {@link #swap} is seen by the next new connection; connections already open keep the certificate
 * they were set up with. The alias names the generation, and the previous generation stays
 * reachable by its alias, so a handshake that picked an alias just before a swap still gets a key
 * and chain that belong together.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

  private record Generation(String alias, ServingCertificate serving) {}

  private record State(Generation current, Generation previous) {
    Generation byAlias(String alias) {
      if (current.alias().equals(alias)) {
        return current;
      }
      return previous != null && previous.alias().equals(alias) ? previous : null;
    }
  }

  private final AtomicReference<State> state;

  public ReloadingKeyManager(ServingCertificate initial) {
    this.state = new AtomicReference<>(new State(generation(initial), null));
  }

  /** Serves {@code next} to handshakes from now on. */
  public void swap(ServingCertificate next) {
    Generation generation = generation(next);
    state.updateAndGet(old -> new State(generation, old.current()));
  }

  public ServingCertificate current() {
    return state.get().current().serving();
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Generation generation = state.get().byAlias(alias);
    return generation == null ? null : generation.serving().chain().toArray(X509Certificate[]::new);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Generation generation = state.get().byAlias(alias);
    return generation == null ? null : generation.serving().key();
  }

  // A server only: it never authenticates as a client.
  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  /**
   * The JDK asks by key type: "EC" or "RSA" (TLS 1.3, and TLS 1.2 signature types), or "EC_EC" /
   * "RSA" style names (TLS 1.2 key exchange). Answer only for the key we hold, so the handshake
   * negotiates a signature scheme that key can make.
   */
  private String aliasFor(String keyType) {
    Generation generation = state.get().current();
    String algorithm = generation.serving().key().getAlgorithm();
    if (keyType == null || keyType.equals(algorithm) || keyType.startsWith(algorithm + "_")) {
      return generation.alias();
    }
    return null;
  }

  private static Generation generation(ServingCertificate serving) {
    Objects.requireNonNull(serving, "serving");
    return new Generation("serving-" + serving.serialNumber().toString(16), serving);
  }
}
