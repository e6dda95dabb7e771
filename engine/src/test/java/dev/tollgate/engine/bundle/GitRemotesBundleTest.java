package dev.tollgate.engine.bundle;

import static dev.tollgate.engine.bundle.BundleCompilerTest.compile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.engine.source.ProblemCode;
import org.junit.jupiter.api.Test;

/** Git remotes from an identity's ToolScopes into its bundle: merged by name, conflicts refused. */
class GitRemotesBundleTest {

  private static final String IDENTITY =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: a}, {name: b}]
      """;

  private static String scope(String name, String remotes) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: %s, namespace: team-a}
        spec:
          tools: [Read]
          gitRemotes: %s
        """
        .formatted(name, remotes);
  }

  @Test
  void remotesOfAllScopesAreInTheBundleByNameWithCanonicalUrls() {
    Bundle bundle =
        compile(
                IDENTITY,
                scope(
                    "a",
                    "[{name: shop, url: 'https://GitHub.com/acme/shop.git/', credentialsSecretRef: {name: gh, key: token}}]"),
                scope(
                    "b",
                    "[{name: shop, url: 'https://github.com:443/acme/shop.git', credentialsSecretRef: {name: gh, key: token}},"
                        + " {name: docs, url: 'https://git.example.org:8443/docs'}]"))
            .bundle()
            .orElseThrow();

    assertThat(bundle.gitRemotes())
        .containsExactly(
            new Bundle.GitRemote("docs", "https://git.example.org:8443/docs", null, "team-a/b"),
            new Bundle.GitRemote(
                "shop",
                "https://github.com/acme/shop.git",
                new Bundle.SecretRef("gh", "token"),
                "team-a/a"));
    // The git tools are in scope through the remotes only, never as tool names.
    assertThat(bundle.tools()).containsExactly("Read");
  }

  @Test
  void theBundleDocumentCarriesTheRemotesAndReadsBack() throws Exception {
    Bundle bundle =
        compile(
                IDENTITY,
                scope("a", "[{name: shop, url: 'https://github.com/acme/shop'}]"),
                scope("b", "[]"))
            .bundle()
            .orElseThrow();
    String json = BundleCodec.toJson(bundle);

    assertThat(json)
        .contains("\"gitRemotes\"")
        .contains("\"url\" : \"https://github.com/acme/shop\"");
    assertThat(BundleCodec.fromJson(json)).isEqualTo(bundle);
  }

  @Test
  void aBundleWithoutRemotesLeavesTheFieldOut() {
    Bundle bundle = compile(IDENTITY, scope("a", "[]"), scope("b", "[]")).bundle().orElseThrow();

    assertThat(BundleCodec.toJson(bundle)).doesNotContain("gitRemotes");
  }

  @Test
  void aRemoteDefinedDifferentlyInTwoScopesIsAConflictNamingBoth() {
    Compilation compilation =
        compile(
            IDENTITY,
            scope("a", "[{name: shop, url: 'https://github.com/acme/shop'}]"),
            scope("b", "[{name: shop, url: 'https://github.com/evil/shop'}]"));

    assertThat(compilation.succeeded()).isFalse();
    assertThat(compilation.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.code()).isEqualTo(ProblemCode.CONFLICTING_DEFINITIONS);
              assertThat(p.object()).isEqualTo("AgentIdentity/team-a/coder");
              assertThat(p.message())
                  .isEqualTo(
                      "git remote 'shop' is defined differently in ToolScopes team-a/a and team-a/b");
            });
  }

  @Test
  void anotherCredentialIsADifferentDefinition() {
    Compilation compilation =
        compile(
            IDENTITY,
            scope(
                "a",
                "[{name: shop, url: 'https://github.com/acme/shop', credentialsSecretRef: {name: gh, key: token}}]"),
            scope("b", "[{name: shop, url: 'https://github.com/acme/shop'}]"));

    assertThat(compilation.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("'shop' is defined differently"));
  }

  @Test
  void oneRepositoryUnderTwoNamesInTwoScopesIsAConflict() {
    Compilation compilation =
        compile(
            IDENTITY,
            scope("a", "[{name: shop, url: 'https://github.com/acme/shop'}]"),
            scope("b", "[{name: store, url: 'https://GITHUB.com/acme/shop/'}]"));

    assertThat(compilation.problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .isEqualTo(
                        "repository https://github.com/acme/shop is git remote 'shop' in ToolScope"
                            + " team-a/a and 'store' in ToolScope team-a/b: one name per repository"));
  }

  /** A self-signed CA certificate (test data: its key was thrown away). */
  private static final String CA_PEM =
      """
      -----BEGIN CERTIFICATE-----
      MIIBjjCCATOgAwIBAgIUM7ORWknU4R4se6c4BToWeH9Aq7AwCgYIKoZIzj0EAwIw
      GzEZMBcGA1UEAwwQVG9sbGdhdGUgdGVzdCBDQTAgFw0yNjEyMDIxNjEwMTFaGA8y
      MTI2MTEwODE2MTAxMVowGzEZMBcGA1UEAwwQVG9sbGdhdGUgdGVzdCBDQTBZMBMG
      ByqGSM49AgEGCCqGSM49AwEHA0IABLAu6BFvGQXvqP6H1lY6ZTD5nst34RSzWLF2
      hInycSLZ7qrj+UnmvgGFfDy1n6erjBtglySj0RUKMRk0Ijl2yrmjUzBRMB0GA1Ud
      DgQWBBRAI9znrHP6oGorj53x5O/QednQjDAfBgNVHSMEGDAWgBRAI9znrHP6oGor
      j53x5O/QednQjDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQCu
      8JpU2OPMpnRus2yTAPoOfikKgM7l9xs719+Y2cefdAIhALyLLDeHmzZ5nDii26Mf
      eUJjHSmn6pYUtu/qsR3QIV4Z
      -----END CERTIFICATE-----
      """;

  @Test
  void aRemotesCaBundleTravelsInTheBundle() throws Exception {
    Bundle bundle =
        compile(IDENTITY, scope("a", jsonRemoteWithCa(CA_PEM)), scope("b", "[]"))
            .bundle()
            .orElseThrow();

    assertThat(bundle.gitRemotes())
        .singleElement()
        .satisfies(r -> assertThat(r.caBundle()).isEqualTo(CA_PEM));
    assertThat(BundleCodec.fromJson(BundleCodec.toJson(bundle))).isEqualTo(bundle);
  }

  @Test
  void anotherCaBundleIsADifferentDefinition() {
    Compilation compilation =
        compile(
            IDENTITY,
            scope("a", jsonRemoteWithCa(CA_PEM)),
            scope("b", "[{name: shop, url: 'https://git.internal.example/acme/shop'}]"));

    assertThat(compilation.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("'shop' is defined differently"));
  }

  /** The remote as a JSON flow sequence (YAML reads JSON), the PEM's line breaks escaped. */
  private static String jsonRemoteWithCa(String pem) {
    return "[{\"name\": \"shop\", \"url\": \"https://git.internal.example/acme/shop\","
        + " \"caBundle\": \""
        + pem.replace("\n", "\\n")
        + "\"}]";
  }
}
