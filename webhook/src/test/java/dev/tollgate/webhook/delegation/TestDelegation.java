package dev.tollgate.webhook.delegation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A delegation check for tests: a fixed key ring (two keys written by {@code openssl genpkey
 * -algorithm ed25519}, {@code k1} active) and the impersonation grants a test gives, as {@code
 * "<user> users/<name>"} or {@code "<user> groups/<name>"}.
 */
public final class TestDelegation {

  private static final Path KEYS = Path.of("src/test/resources/delegation");

  private TestDelegation() {}

  public static SigningKeyRing ring(String active) {
    try {
      return SigningKeyRing.fromFiles(
          Map.of(
              "k1.pem", Files.readString(KEYS.resolve("k1.pem")),
              "k2.pem", Files.readString(KEYS.resolve("k2.pem")),
              "active", active));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static AccessReview grants(String... grants) {
    Set<String> granted = Set.of(grants);
    return (requester, resource, name) ->
        granted.contains(requester.getUsername() + " " + resource + "/" + name);
  }

  public static DelegationCheck check(String... grants) {
    SigningKeyRing ring = ring("k1");
    return new DelegationCheck(grants(grants), () -> ring);
  }
}
