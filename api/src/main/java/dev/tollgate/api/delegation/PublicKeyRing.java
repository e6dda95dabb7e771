package dev.tollgate.api.delegation;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The public halves of the webhook's delegation keys, by key id. Rotation adds a key and leaves the
 * old ones here, so proofs stamped on existing workloads keep verifying until a key is retired.
 *
 * <p>Its text form ({@link #encode()}, {@link #parse}) is {@code id=base64(X.509 key)} pairs
 * separated by commas: what the webhook publishes and a sidecar reads.
 */
public final class PublicKeyRing {

  /** The data key of the ConfigMap the webhook publishes the public keys in. */
  public static final String CONFIG_MAP_KEY = "keys";

  private final Map<String, PublicKey> keys;

  public PublicKeyRing(Map<String, PublicKey> keys) {
    this.keys = Map.copyOf(keys);
  }

  public Optional<PublicKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  public Set<String> keyIds() {
    return keys.keySet();
  }

  public String encode() {
    StringBuilder text = new StringBuilder();
    keys.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            entry ->
                text.append(text.isEmpty() ? "" : ",")
                    .append(entry.getKey())
                    .append('=')
                    .append(Base64.getEncoder().encodeToString(entry.getValue().getEncoded())));
    return text.toString();
  }

  /**
   * Reads {@link #encode()}'s form.
   *
   * @throws IllegalArgumentException naming the entry that is not a key id and an Ed25519 key
   */
  public static PublicKeyRing parse(String text) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      String id = equals < 0 ? entry.strip() : entry.substring(0, equals).strip();
      if (equals < 0 || !DelegationProof.validKeyId(id)) {
        throw new IllegalArgumentException(
            "delegation key entry '" + entry.strip() + "' is not <key id>=<base64 public key>");
      }
      keys.put(id, decode(id, entry.substring(equals + 1).strip()));
    }
    return new PublicKeyRing(keys);
  }

  /** An Ed25519 public key from its X.509 (SubjectPublicKeyInfo) encoding in base64. */
  public static PublicKey decode(String keyId, String base64) {
    try {
      return KeyFactory.getInstance(DelegationProof.ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "delegation key " + keyId + " is not an Ed25519 public key: " + e.getMessage(), e);
    }
  }
}
