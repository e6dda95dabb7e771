package dev.tollgate.engine.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BundleCodecTest {

  private static Bundle sample() {
    return BundleCompilerTest.compile(
            """
        apiVersion: tollgate.dev/v1alpha1
        kind: AgentIdentity
        metadata: {name: coder, namespace: team-a}
        spec: {serviceAccountName: coder, toolScopes: [{name: s}]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolScope
        metadata: {name: s, namespace: team-a}
        spec: {tools: [Read]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: p, namespace: team-a}
        spec:
          agents: {names: [coder]}
          rules: [{name: read, tools: [Read], effect: Allow, when: "resource.path.startsWith('/w/')"}]
        """)
        .bundle()
        .orElseThrow();
  }

  @Test
  void roundTripsExactly() throws Exception {
    Bundle bundle = sample();
    String json = BundleCodec.toJson(bundle);
    assertThat(BundleCodec.fromJson(json)).isEqualTo(bundle);
    assertThat(BundleCodec.toJson(BundleCodec.fromJson(json))).isEqualTo(json);
    assertThat(json).endsWith("}\n").startsWith("{\n  \"identity\"");
  }

  @Test
  void refusesADocumentWhoseContentNoLongerMatchesItsRevision() {
    String tampered = BundleCodec.toJson(sample()).replace("startsWith('/w/')", "startsWith('/')");
    assertThatThrownBy(() -> BundleCodec.fromJson(tampered))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("does not match its content");
  }

  @Test
  void refusesOtherSchemasTruncationAndUnknownFields() {
    String json = BundleCodec.toJson(sample());
    assertThatThrownBy(
            () -> BundleCodec.fromJson(json.replace(Bundle.SCHEMA, "tollgate.dev/bundle/v9")))
        .hasMessageContaining("unsupported bundle schema 'tollgate.dev/bundle/v9'");
    assertThatThrownBy(() -> BundleCodec.fromJson(json.substring(0, json.length() / 2)))
        .hasMessageContaining("not a bundle document");
    assertThatThrownBy(
            () -> BundleCodec.fromJson(json.replace("\"policies\"", "\"extra\": 1, \"policies\"")))
        .hasMessageContaining("not a bundle document");
    assertThatThrownBy(() -> BundleCodec.fromJson("")).isInstanceOf(InvalidBundleException.class);
    assertThatThrownBy(() -> BundleCodec.fromJson("null"))
        .isInstanceOf(InvalidBundleException.class);
  }
}
