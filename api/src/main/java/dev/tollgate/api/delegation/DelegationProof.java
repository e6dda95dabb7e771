package dev.tollgate.api.delegation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhook's signature that a delegation claim (a user and groups) was proven for one object:
 * the workload it verified, or the pod it admitted. Written into annotation {@link #ANNOTATION} as
 * {@code v1.<key id>.<base64url signature>}.
 *
 * <p>The signed statement names the namespace, kind and name of that object, so a proof copied to
 * another workload, namespace, principal or group list no longer verifies. Signatures are Ed25519:
 * whoever verifies (the webhook, every sidecar) holds public keys only and cannot mint a proof.
 */
public record DelegationProof(String keyId, byte[] signature) {

  public static final String ANNOTATION = "tollgate.dev/delegation-proof";

  /** The signature algorithm, as the JDK names it. */
  public static final String ALGORITHM = "Ed25519";

  private static final String VERSION = "v1";
  private static final Pattern TEXT =
      Pattern.compile("v1\\.([A-Za-z0-9][A-Za-z0-9_-]{0,62})\\.([A-Za-z0-9_-]{86})");
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  public DelegationProof {
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** Whether {@code keyId} can name a key (letters, digits, {@code -}, {@code _}; 1–63). */
  public static boolean validKeyId(String keyId) {
    return keyId != null && KEY_ID.matcher(keyId).matches();
  }

  /** The annotation's text, or empty when it is not a well-formed proof. */
  public static Optional<DelegationProof> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher matcher = TEXT.matcher(text.strip());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    byte[] signature;
    try {
      signature = Base64.getUrlDecoder().decode(matcher.group(2));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return signature.length == 64
        ? Optional.of(new DelegationProof(matcher.group(1), signature))
        : Optional.empty();
  }

  public String text() {
    return VERSION
        + "."
        + keyId
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  /**
   * What is signed. Groups are sorted and deduplicated, so their order in an annotation does not
   * matter; every field is length-prefixed, so no two claims share a statement.
   */
  public static byte[] statement(
      String namespace, String kind, String name, String user, List<String> groups) {
    StringBuilder text = new StringBuilder("tollgate.dev/delegation/").append(VERSION);
    for (String field : List.of(namespace, kind, name, user)) {
      append(text, field);
    }
    TreeSet<String> sorted = new TreeSet<>(groups);
    text.append('\n').append(sorted.size());
    sorted.forEach(group -> append(text, group));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void append(StringBuilder text, String field) {
    text.append('\n').append(field.length()).append(':').append(field);
  }

  /** Whether this proof is a valid signature of {@code statement} by a key of {@code keys}. */
  public boolean verifies(byte[] statement, PublicKeyRing keys) {
    Optional<PublicKey> key = keys.key(keyId);
    if (key.isEmpty()) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key.get());
      verifier.update(statement);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
