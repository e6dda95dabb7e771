package dev.tollgate.webhook.delegation;

import dev.tollgate.api.delegation.DelegationProof;
import dev.tollgate.api.delegation.PublicKeyRing;
import dev.tollgate.webhook.tls.Pem;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.openssl.PEMParser;

/**
 * The webhook's delegation signing keys: Ed25519 private keys by id, one of them active. The active
 * key signs new proofs; every key still verifies, so a rotation does not refuse the pods of
 * workloads stamped before it.
 *
 * <p>Stored in a Secret as {@code <id>.pem} (PKCS#8, what {@code openssl genpkey -algorithm
 * ed25519} writes) plus {@code active} naming the signing key; see {@link SigningKeyStore}.
 */
public final class SigningKeyRing {

  static final String ACTIVE = "active";
  static final String KEY_SUFFIX = ".pem";

  private final Map<String, KeyPair> keys;
  private final String activeId;
  private final PublicKeyRing publicKeys;

  private SigningKeyRing(Map<String, KeyPair> keys, String activeId) {
    this.keys = Map.copyOf(keys);
    this.activeId = activeId;
    Map<String, PublicKey> publics = new LinkedHashMap<>();
    keys.forEach((id, pair) -> publics.put(id, pair.getPublic()));
    this.publicKeys = new PublicKeyRing(publics);
  }

  /** A ring of one new key. */
  public static SigningKeyRing generate(String keyId) {
    requireKeyId(keyId);
    try {
      KeyPair pair = KeyPairGenerator.getInstance(DelegationProof.ALGORITHM).generateKeyPair();
      return new SigningKeyRing(Map.of(keyId, pair), keyId);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
    }
  }

  /**
   * Reads the Secret's data (decoded).
   *
   * @throws IllegalArgumentException naming the entry that is wrong
   */
  public static SigningKeyRing fromFiles(Map<String, String> files) {
    String active = files.getOrDefault(ACTIVE, "").strip();
    Map<String, KeyPair> keys = new LinkedHashMap<>();
    files.forEach(
        (name, content) -> {
          if (name.endsWith(KEY_SUFFIX)) {
            String id = name.substring(0, name.length() - KEY_SUFFIX.length());
            requireKeyId(id);
            keys.put(id, decode(id, content));
          }
        });
    if (!keys.containsKey(active)) {
      throw new IllegalArgumentException(
          "delegation keys: '"
              + ACTIVE
              + "' names key '"
              + active
              + "', but the keys are "
              + keys.keySet()
              + " (each a file <id>"
              + KEY_SUFFIX
              + ")");
    }
    return new SigningKeyRing(keys, active);
  }

  public Map<String, String> toFiles() {
    Map<String, String> files = new LinkedHashMap<>();
    keys.forEach((id, pair) -> files.put(id + KEY_SUFFIX, Pem.encodePrivateKey(pair.getPrivate())));
    files.put(ACTIVE, activeId);
    return files;
  }

  public String activeId() {
    return activeId;
  }

  public PublicKeyRing publicKeys() {
    return publicKeys;
  }

  public DelegationProof sign(byte[] statement) {
    try {
      Signature signer = Signature.getInstance(DelegationProof.ALGORITHM);
      signer.initSign(keys.get(activeId).getPrivate());
      signer.update(statement);
      return new DelegationProof(activeId, signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with delegation key " + activeId + " failed", e);
    }
  }

  private static void requireKeyId(String id) {
    if (!DelegationProof.validKeyId(id)) {
      throw new IllegalArgumentException(
          "delegation key id '" + id + "' must be 1–63 letters, digits, '-' or '_'");
    }
  }

  private static KeyPair decode(String id, String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (!(object instanceof PrivateKeyInfo info)
          || !EdECObjectIdentifiers.id_Ed25519.equals(
              info.getPrivateKeyAlgorithm().getAlgorithm())) {
        throw new IllegalArgumentException(
            "delegation key " + id + " is not an Ed25519 private key in PKCS#8 PEM");
      }
      KeyFactory factory = KeyFactory.getInstance(DelegationProof.ALGORITHM);
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
      byte[] raw = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
      PublicKey publicKey =
          factory.generatePublic(
              new X509EncodedKeySpec(
                  new SubjectPublicKeyInfo(
                          new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), raw)
                      .getEncoded()));
      return new KeyPair(publicKey, privateKey);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      if (e instanceof IllegalArgumentException known) {
        throw known;
      }
      throw new IllegalArgumentException(
          "delegation key " + id + " is unreadable: " + e.getMessage(), e);
    }
  }
}
