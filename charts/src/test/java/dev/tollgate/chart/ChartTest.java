package dev.tollgate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders charts/tollgate with every values file in charts/tollgate/ci/ and checks what matters for
 * a security component: RBAC without wildcards that still lets the operator create the sidecar
 * Role, webhooks that fail closed and never see kube-system or Tollgate's own namespace, the CRDs
 * exactly as generated, and images, flags and names that the Java code agrees with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChartTest {

  static final String RELEASE = "tollgate";
  static final String NAMESPACE = "tollgate-system";
  static final List<String> VALUES_FILES =
      List.of(
          "default-values",
          "cert-manager-values",
          "watch-namespaces-values",
          "service-monitor-values",
          "network-policy-values");

  private final Path root = Helm.repoRoot();
  private final Helm helm = new Helm(root);
  private final ChartRender render = new ChartRender(helm);
  private final Map<String, Rendered> renders = new LinkedHashMap<>();

  @BeforeAll
  void renderEveryValuesFile() throws Exception {
    Path renderDir = Path.of(System.getProperty("tollgate.chart.renderDir", "target/rendered"));
    Map<String, String> yaml = ChartRenders.renderAll(helm, RELEASE, NAMESPACE, renderDir);
    for (String name : VALUES_FILES) {
      assertThat(yaml).as("charts/tollgate/ci/%s.yaml", name).containsKey(name);
      renders.put(name, Rendered.parse(yaml.get(name)));
    }
    // A values file added to ci/ must be listed here too, so every test below runs on it.
    assertThat(yaml.keySet()).containsExactlyInAnyOrderElementsOf(VALUES_FILES);
  }

  Stream<String> valuesFiles() {
    return VALUES_FILES.stream();
  }

  // ---- lint ------------------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void lintsCleanlyInStrictMode(String valuesFile) throws Exception {
    String out =
        helm.runOk(
            "lint",
            "--strict",
            helm.chart().toString(),
            "--namespace",
            NAMESPACE,
            "-f",
            helm.chart().resolve("ci/" + valuesFile + ".yaml").toString());
    assertThat(out)
        .contains("1 chart(s) linted, 0 chart(s) failed")
        .doesNotContain("[ERROR]", "[WARNING]");
  }

  // ---- CRDs ------------------------------------------------------------------------------------

  @Test
  void rendersTheCrdsOfTheRepositoryUnchanged() throws IOException {
    Map<String, JsonNode> expected = new TreeMap<>();
    try (Stream<Path> files = Files.list(root.resolve("crds"))) {
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
              .toList()) {
        JsonNode crd = Rendered.yamlMapper().readTree(file.toFile());
        expected.put(crd.path("metadata").path("name").asText(), crd);
      }
    }
    assertThat(expected).hasSize(4);
    for (String valuesFile : VALUES_FILES) {
      Map<String, JsonNode> rendered = new TreeMap<>();
      for (JsonNode document : renders.get(valuesFile).generic("CustomResourceDefinition")) {
        rendered.put(document.path("metadata").path("name").asText(), document);
      }
      assertThat(rendered.keySet()).as(valuesFile).isEqualTo(expected.keySet());
      for (Map.Entry<String, JsonNode> crd : expected.entrySet()) {
        JsonNode actual = rendered.get(crd.getKey());
        // Everything but the labels and annotations the chart adds is the generated file's.
        assertThat(actual.path("apiVersion")).isEqualTo(crd.getValue().path("apiVersion"));
        assertThat(actual.path("spec"))
            .as("%s spec in %s", crd.getKey(), valuesFile)
            .isEqualTo(crd.getValue().path("spec"));
        assertThat(fieldNames(actual.path("metadata")))
            .containsExactlyInAnyOrder("name", "labels", "annotations");
        assertThat(
                actual
                    .path("metadata")
                    .path("annotations")
                    .path("helm.sh/resource-policy")
                    .asText())
            .isEqualTo("keep");
        assertThat(
                actual
                    .path("metadata")
                    .path("annotations")
                    .path("argocd.argoproj.io/sync-options")
                    .asText())
            .as("Argo CD neither prunes them nor deletes them with the Application")
            .isEqualTo("Prune=false,Delete=false");
      }
      // Typed too: the API server would read the same.
      assertThat(renders.get(valuesFile).all(CustomResourceDefinition.class)).hasSize(4);
    }
  }

  @Test
  void eachKeepPolicyOfTheCrdsCanBeTurnedOffAlone() throws Exception {
    assertThat(crdAnnotations(template("--set", "crds.argocdKeep=false")))
        .containsOnlyKeys("helm.sh/resource-policy");
    assertThat(crdAnnotations(template("--set", "crds.keep=false")))
        .containsOnlyKeys("argocd.argoproj.io/sync-options");
    for (JsonNode crd :
        template("--set", "crds.keep=false", "--set", "crds.argocdKeep=false")
            .generic("CustomResourceDefinition")) {
      assertThat(fieldNames(crd.path("metadata"))).containsExactlyInAnyOrder("name", "labels");
    }
  }

  /** The annotations of the rendered CRDs, which must be the same on all four. */
  private static Map<String, String> crdAnnotations(Rendered rendered) {
    List<JsonNode> crds = rendered.generic("CustomResourceDefinition");
    assertThat(crds).hasSize(4);
    List<Map<String, String>> annotations = new ArrayList<>();
    for (JsonNode crd : crds) {
      Map<String, String> values = new TreeMap<>();
      crd.path("metadata")
          .path("annotations")
          .fields()
          .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
      annotations.add(values);
    }
    assertThat(annotations).allSatisfy(a -> assertThat(a).isEqualTo(annotations.get(0)));
    return annotations.get(0);
  }

  @Test
  void leavesTheCrdsOutWhenAsked() throws Exception {
    Rendered rendered = template("--set", "crds.install=false");
    assertThat(rendered.generic("CustomResourceDefinition")).isEmpty();
    assertThat(rendered.all(Deployment.class)).hasSize(2);
  }

  // ---- RBAC ------------------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void grantsNoWildcardAndNoPrivilegeEscalatingVerb(String valuesFile) {
    Rendered rendered = renders.get(valuesFile);
    List<PolicyRule> rules = new ArrayList<>();
    rendered.all(Role.class).forEach(r -> rules.addAll(r.getRules()));
    rendered
        .all(ClusterRole.class)
        .forEach(
            r -> {
              assertThat(r.getAggregationRule())
                  .as("aggregation pulls in rules the chart does not show")
                  .isNull();
              rules.addAll(r.getRules());
            });
    assertThat(rules).isNotEmpty();
    for (PolicyRule rule : rules) {
      List<String> everything =
          Stream.of(
                  rule.getApiGroups(),
                  rule.getResources(),
                  rule.getVerbs(),
                  rule.getResourceNames(),
                  rule.getNonResourceURLs())
              .filter(Objects::nonNull)
              .flatMap(List::stream)
              .toList();
      assertThat(everything).as("rule %s", rule).noneMatch(s -> s.contains("*"));
      assertThat(rule.getVerbs())
          .as("rule %s", rule)
          .doesNotContain("escalate", "bind", "impersonate");
      assertThat(rule.getNonResourceURLs()).as("rule %s", rule).isNullOrEmpty();
    }
    // Secrets only in the release namespace, only the webhook's own by name (its TLS Secret and
    // its delegation signing keys; create cannot be named).
    for (Role role : rendered.all(Role.class)) {
      for (PolicyRule rule : role.getRules()) {
        if (rule.getResources().contains("secrets")) {
          assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
          assertThat(rule.getVerbs()).doesNotContain("list", "watch", "delete", "patch");
          if (!rule.getVerbs().equals(List.of("create"))) {
            assertThat(rule.getResourceNames())
                .containsAnyOf("tollgate-webhook-tls", "tollgate-delegation-keys")
                .isSubsetOf("tollgate-webhook-tls", "tollgate-delegation-keys");
          }
        }
      }
    }
    for (ClusterRole role : rendered.all(ClusterRole.class)) {
      assertThat(role.getRules())
          .as(role.getMetadata().getName())
          .noneMatch(r -> r.getResources().contains("secrets"));
    }
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void bindsEveryRoleToARenderedServiceAccount(String valuesFile) {
    Rendered rendered = renders.get(valuesFile);
    Set<String> accounts =
        rendered.all(ServiceAccount.class).stream()
            .map(a -> a.getMetadata().getNamespace() + "/" + a.getMetadata().getName())
            .collect(Collectors.toSet());
    for (RoleBinding binding : rendered.all(RoleBinding.class)) {
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      // A RoleBinding can only refer to a Role of its own namespace.
      assertThat(rendered.all(Role.class))
          .as(
              "Role of %s/%s",
              binding.getMetadata().getNamespace(), binding.getMetadata().getName())
          .anyMatch(
              r ->
                  r.getMetadata().getName().equals(binding.getRoleRef().getName())
                      && r.getMetadata()
                          .getNamespace()
                          .equals(binding.getMetadata().getNamespace()));
      // The one exception: every service account may read the public delegation keys (one
      // ConfigMap, by name), which sidecars of any namespace verify their principal against.
      if (binding.getSubjects().stream().anyMatch(s -> s.getKind().equals("Group"))) {
        assertThat(binding.getSubjects())
            .singleElement()
            .satisfies(s -> assertThat(s.getName()).isEqualTo("system:serviceaccounts"));
        Role publicKeys =
            rendered.all(Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()))
                .findFirst()
                .orElseThrow();
        assertThat(publicKeys.getRules())
            .singleElement()
            .satisfies(
                rule -> {
                  assertThat(rule.getResources()).containsExactly("configmaps");
                  assertThat(rule.getVerbs()).containsExactly("get");
                  assertThat(rule.getResourceNames()).containsExactly("tollgate-delegation-keys");
                });
        continue;
      }
      binding
          .getSubjects()
          .forEach(s -> assertThat(accounts).contains(s.getNamespace() + "/" + s.getName()));
    }
    for (ClusterRoleBinding binding : rendered.all(ClusterRoleBinding.class)) {
      rendered.one(ClusterRole.class, binding.getRoleRef().getName());
      binding
          .getSubjects()
          .forEach(s -> assertThat(accounts).contains(s.getNamespace() + "/" + s.getName()));
    }
  }

  /**
   * RBAC lets a subject create a Role (and bind it) only when it holds every permission the Role
   * grants, or has escalate/bind. The chart gives no escalate or bind, so the operator must hold
   * every rule of the per-identity sidecar Role, read here from the operator's source, in every
   * namespace where it reconciles identities.
   */
  @ParameterizedTest
  @MethodSource("valuesFiles")
  void operatorHoldsEveryPermissionItGrantsToSidecars(String valuesFile) throws IOException {
    Rendered rendered = renders.get(valuesFile);
    List<PolicyRule> granted = sidecarRoleRules();
    assertThat(granted).hasSize(2);
    Map<String, List<PolicyRule>> operatorRulesByScope = operatorRules(rendered);
    assertThat(operatorRulesByScope).isNotEmpty();
    for (Map.Entry<String, List<PolicyRule>> scope : operatorRulesByScope.entrySet()) {
      for (PolicyRule grant : granted) {
        for (String group : grant.getApiGroups()) {
          for (String resource : grant.getResources()) {
            for (String verb : grant.getVerbs()) {
              assertThat(scope.getValue())
                  .as("%s in %s: %s %s/%s", valuesFile, scope.getKey(), verb, group, resource)
                  .anyMatch(
                      r ->
                          r.getApiGroups().contains(group)
                              && r.getResources().contains(resource)
                              && r.getVerbs().contains(verb)
                              && (r.getResourceNames() == null || r.getResourceNames().isEmpty()));
            }
          }
        }
      }
    }
  }

  @Test
  void operatorRbacIsClusterWideByDefaultAndNamespacedWhenNamespacesAreWatched() {
    Rendered cluster = renders.get("default-values");
    assertThat(cluster.one(ClusterRole.class, "tollgate-operator").getRules()).isNotEmpty();
    assertThat(cluster.all(Role.class).stream().map(r -> r.getMetadata().getName()))
        .doesNotContain("tollgate-operator");

    Rendered watched = renders.get("watch-namespaces-values");
    assertThat(watched.all(ClusterRole.class).stream().map(r -> r.getMetadata().getName()))
        .containsExactly("tollgate-webhook");
    assertThat(
            watched.all(Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals("tollgate-operator"))
                .map(r -> r.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("agents", "team-a");
    assertThat(
            watched.all(RoleBinding.class).stream()
                .filter(r -> r.getMetadata().getName().equals("tollgate-operator"))
                .map(r -> r.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("agents", "team-a");
    assertThat(env(container(watched, "tollgate-operator")))
        .containsEntry("TOLLGATE_WATCH_NAMESPACES", "agents,team-a");
    assertThat(env(container(cluster, "tollgate-operator")))
        .containsEntry("TOLLGATE_WATCH_NAMESPACES", "");
  }

  @Test
  void leaderElectionHasItsLeaseAndItsRole() {
    Rendered rendered = renders.get("default-values");
    Map<String, String> env = env(container(rendered, "tollgate-operator"));
    assertThat(env)
        .containsEntry("TOLLGATE_LEADER_ELECTION", "true")
        .containsEntry("TOLLGATE_LEASE_NAMESPACE", NAMESPACE)
        .containsEntry("TOLLGATE_LEASE_NAME", "tollgate-operator");
    Role lease = rendered.one(Role.class, "tollgate-operator-leader-election");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(lease.getRules())
        .allMatch(
            r ->
                r.getApiGroups().equals(List.of("coordination.k8s.io"))
                    && r.getResources().equals(List.of("leases")));
    assertThat(lease.getRules())
        .anyMatch(
            r ->
                r.getResourceNames() != null
                    && r.getResourceNames().equals(List.of("tollgate-operator"))
                    && r.getVerbs().containsAll(List.of("get", "update", "patch")));

    Rendered single = renders.get("watch-namespaces-values");
    assertThat(env(container(single, "tollgate-operator")))
        .containsEntry("TOLLGATE_LEADER_ELECTION", "false")
        .doesNotContainKey("TOLLGATE_LEASE_NAMESPACE");
    assertThat(single.all(Role.class))
        .noneMatch(r -> r.getMetadata().getName().endsWith("leader-election"));

    Rendered two = renders.get("service-monitor-values");
    assertThat(two.one(Deployment.class, "tollgate-operator").getSpec().getReplicas()).isEqualTo(2);
    assertThat(env(container(two, "tollgate-operator")))
        .containsEntry("TOLLGATE_LEADER_ELECTION", "true");
  }

  // ---- webhook configurations -----------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void webhooksFailClosedAndNeverSeeKubeSystemOrTheReleaseNamespace(String valuesFile)
      throws IOException {
    Rendered rendered = renders.get(valuesFile);
    MutatingWebhookConfiguration mutating =
        rendered.one(MutatingWebhookConfiguration.class, "tollgate");
    ValidatingWebhookConfiguration validating =
        rendered.one(ValidatingWebhookConfiguration.class, "tollgate");
    Service service = rendered.one(Service.class, "tollgate-webhook");
    assertThat(service.getSpec().getPorts())
        .anyMatch(p -> p.getPort() == 443 && "https".equals(p.getTargetPort().getStrVal()));

    Map<String, String> paths = new TreeMap<>();
    for (MutatingWebhook webhook : mutating.getWebhooks()) {
      checkCommon(
          webhook.getName(),
          webhook.getFailurePolicy(),
          webhook.getSideEffects(),
          webhook.getTimeoutSeconds(),
          webhook.getAdmissionReviewVersions(),
          webhook.getClientConfig(),
          webhook.getNamespaceSelector().getMatchExpressions());
      paths.put(
          webhook.getClientConfig().getService().getPath(),
          "mutating " + resources(webhook.getRules()));
    }
    for (ValidatingWebhook webhook : validating.getWebhooks()) {
      checkCommon(
          webhook.getName(),
          webhook.getFailurePolicy(),
          webhook.getSideEffects(),
          webhook.getTimeoutSeconds(),
          webhook.getAdmissionReviewVersions(),
          webhook.getClientConfig(),
          webhook.getNamespaceSelector().getMatchExpressions());
      paths.put(
          webhook.getClientConfig().getService().getPath(),
          "validating " + resources(webhook.getRules()));
    }
    // Every route of the webhook (AdmissionRouter) is called, for the resources it handles, and
    // nothing else is.
    Map<String, String> routes =
        constants("webhook/src/main/java/dev/tollgate/webhook/admission/AdmissionRouter.java");
    assertThat(paths).containsOnlyKeys(routes.values());
    assertThat(paths)
        .containsEntry(routes.get("MUTATE_PODS"), "mutating [pods]")
        .containsEntry(routes.get("MUTATE_APPROVALS"), "mutating [toolcallapprovals]")
        .containsEntry(
            routes.get("VALIDATE_POLICIES"),
            "validating [agentidentities, toolscopes, toolpolicies]");

    MutatingWebhook pods =
        mutating.getWebhooks().stream()
            .filter(w -> w.getName().equals("pods.tollgate.dev"))
            .findFirst()
            .orElseThrow();
    assertThat(pods.getReinvocationPolicy()).isEqualTo("IfNeeded");
    assertThat(pods.getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getOperations()).containsExactly("CREATE");
              assertThat(rule.getApiGroups()).containsExactly("");
            });
    // Opt-in: only namespaces with the label.
    assertThat(pods.getNamespaceSelector().getMatchExpressions())
        .anyMatch(
            e ->
                e.getKey().equals("tollgate.dev/injection")
                    && e.getOperator().equals("In")
                    && e.getValues().equals(List.of("enabled")));
    assertThat(pods.getObjectSelector()).isNull();
  }

  private static void checkCommon(
      String name,
      String failurePolicy,
      String sideEffects,
      Integer timeoutSeconds,
      List<String> reviewVersions,
      WebhookClientConfig client,
      List<LabelSelectorRequirement> namespaceExpressions) {
    assertThat(failurePolicy).as(name).isEqualTo("Fail");
    assertThat(sideEffects).as(name).isEqualTo("None");
    assertThat(timeoutSeconds).as(name).isBetween(1, 10);
    assertThat(reviewVersions).as(name).containsExactly("v1");
    assertThat(client.getUrl()).as(name).isNull();
    assertThat(client.getService().getName()).as(name).isEqualTo("tollgate-webhook");
    assertThat(client.getService().getNamespace()).as(name).isEqualTo(NAMESPACE);
    assertThat(client.getService().getPort()).as(name).isEqualTo(443);
    assertThat(namespaceExpressions)
        .as(name)
        .anyMatch(
            e ->
                e.getKey().equals("kubernetes.io/metadata.name")
                    && e.getOperator().equals("NotIn")
                    && e.getValues().containsAll(List.of("kube-system", NAMESPACE)));
  }

  @Test
  void webhooksOnlyMatchWatchedNamespacesAndHonourExtraExclusions() {
    Rendered rendered = renders.get("watch-namespaces-values");
    List<List<LabelSelectorRequirement>> selectors = new ArrayList<>();
    rendered
        .one(MutatingWebhookConfiguration.class, "tollgate")
        .getWebhooks()
        .forEach(w -> selectors.add(w.getNamespaceSelector().getMatchExpressions()));
    rendered
        .one(ValidatingWebhookConfiguration.class, "tollgate")
        .getWebhooks()
        .forEach(w -> selectors.add(w.getNamespaceSelector().getMatchExpressions()));
    assertThat(selectors)
        .hasSize(5)
        .allSatisfy(
            expressions -> {
              assertThat(expressions)
                  .anyMatch(
                      e ->
                          e.getOperator().equals("In")
                              && e.getKey().equals("kubernetes.io/metadata.name")
                              && e.getValues().equals(List.of("agents", "team-a")));
              assertThat(expressions)
                  .anyMatch(
                      e ->
                          e.getOperator().equals("NotIn")
                              && e.getValues()
                                  .equals(List.of("kube-system", NAMESPACE, "monitoring")));
            });
    assertThat(env(container(rendered, "tollgate-webhook")))
        .containsEntry("TOLLGATE_NATIVE_SIDECARS", "false");
  }

  // ---- TLS -------------------------------------------------------------------------------------

  @Test
  void selfManagedTlsNamesTheSecretAndConfigurationsTheWebhookPatches() {
    Rendered rendered = renders.get("default-values");
    Map<String, String> env = env(container(rendered, "tollgate-webhook"));
    assertThat(env)
        .containsEntry("TOLLGATE_WEBHOOK_TLS", "self-managed")
        .containsEntry("TOLLGATE_WEBHOOK_TLS_SECRET", "tollgate-webhook-tls")
        .containsEntry("TOLLGATE_WEBHOOK_SERVICE", "tollgate-webhook")
        .containsEntry("TOLLGATE_MUTATING_WEBHOOK_CONFIGURATIONS", "tollgate")
        .containsEntry("TOLLGATE_VALIDATING_WEBHOOK_CONFIGURATIONS", "tollgate")
        .doesNotContainKey("TOLLGATE_WEBHOOK_CERT_DIR");
    // The webhook may patch exactly those two configurations, by name.
    ClusterRole role = rendered.one(ClusterRole.class, "tollgate-webhook");
    assertThat(role.getRules())
        .anyMatch(
            r ->
                r.getApiGroups().equals(List.of("admissionregistration.k8s.io"))
                    && r.getResources()
                        .containsAll(
                            List.of(
                                "mutatingwebhookconfigurations", "validatingwebhookconfigurations"))
                    && r.getResourceNames().equals(List.of("tollgate"))
                    && r.getVerbs().equals(List.of("get", "patch")));
    // caBundle is the webhook's to write; Helm must not render one (it would undo the patch on
    // upgrade).
    rendered
        .one(MutatingWebhookConfiguration.class, "tollgate")
        .getWebhooks()
        .forEach(w -> assertThat(w.getClientConfig().getCaBundle()).isNull());
    assertThat(
            rendered
                .one(MutatingWebhookConfiguration.class, "tollgate")
                .getMetadata()
                .getAnnotations())
        .isNullOrEmpty();
    assertThat(rendered.generic("Certificate")).isEmpty();
    assertThat(rendered.generic("Issuer")).isEmpty();
  }

  @Test
  void certManagerIssuesTheCertificateAndInjectsItsCa() {
    Rendered rendered = renders.get("cert-manager-values");
    JsonNode certificate = rendered.generic("Certificate").get(0);
    assertThat(rendered.generic("Certificate")).hasSize(1);
    String secret = certificate.path("spec").path("secretName").asText();
    List<String> dnsNames = new ArrayList<>();
    certificate.path("spec").path("dnsNames").forEach(n -> dnsNames.add(n.asText()));
    assertThat(dnsNames).contains("tollgate-webhook." + NAMESPACE + ".svc");
    assertThat(certificate.path("spec").path("issuerRef").path("name").asText())
        .isEqualTo(rendered.generic("Issuer").get(0).path("metadata").path("name").asText());
    String injectFrom = NAMESPACE + "/" + certificate.path("metadata").path("name").asText();
    assertThat(
            rendered
                .one(MutatingWebhookConfiguration.class, "tollgate")
                .getMetadata()
                .getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", injectFrom);
    assertThat(
            rendered
                .one(ValidatingWebhookConfiguration.class, "tollgate")
                .getMetadata()
                .getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", injectFrom);

    Deployment webhook = rendered.one(Deployment.class, "tollgate-webhook");
    Map<String, String> env = env(webhook.getSpec().getTemplate().getSpec().getContainers().get(0));
    assertThat(env)
        .containsEntry("TOLLGATE_WEBHOOK_TLS", "files")
        .containsEntry("TOLLGATE_WEBHOOK_CERT_DIR", "/tls")
        .doesNotContainKeys(
            "TOLLGATE_WEBHOOK_TLS_SECRET", "TOLLGATE_MUTATING_WEBHOOK_CONFIGURATIONS");
    assertThat(webhook.getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals(secret));
    assertThat(webhook.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
        .anyMatch(m -> m.getMountPath().equals("/tls") && Boolean.TRUE.equals(m.getReadOnly()));
    // No Secret writes but the delegation keys', and no webhook configuration patches, with
    // cert-manager.
    assertThat(
            rendered.all(Role.class).stream()
                .filter(r -> !r.getMetadata().getName().equals("tollgate-webhook-delegation")))
        .noneMatch(
            r -> r.getRules().stream().anyMatch(rule -> rule.getResources().contains("secrets")));
    assertThat(rendered.one(ClusterRole.class, "tollgate-webhook").getRules())
        .noneMatch(r -> r.getApiGroups().contains("admissionregistration.k8s.io"));

    Rendered ownIssuer = renders.get("watch-namespaces-values");
    assertThat(ownIssuer.generic("Issuer")).isEmpty();
    JsonNode issuerRef = ownIssuer.generic("Certificate").get(0).path("spec").path("issuerRef");
    assertThat(issuerRef.path("kind").asText()).isEqualTo("ClusterIssuer");
    assertThat(issuerRef.path("name").asText()).isEqualTo("corp-ca");
  }

  // ---- workloads -------------------------------------------------------------------------------

  @Test
  void runsTwoWebhookReplicasWithADisruptionBudgetAndSpreadOverNodes() {
    Rendered rendered = renders.get("default-values");
    Deployment webhook = rendered.one(Deployment.class, "tollgate-webhook");
    assertThat(webhook.getSpec().getReplicas()).isEqualTo(2);
    assertThat(webhook.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    PodDisruptionBudget pdb = rendered.one(PodDisruptionBudget.class, "tollgate-webhook");
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(webhook.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    // The PDB must not also cover the operator's pods.
    assertThat(
            rendered
                .one(Deployment.class, "tollgate-operator")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels())
        .isNotEqualTo(webhook.getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainEntry("app.kubernetes.io/component", "webhook");
    var soft = webhook.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
    assertThat(soft.getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(
            t ->
                assertThat(t.getPodAffinityTerm().getTopologyKey())
                    .isEqualTo("kubernetes.io/hostname"));

    Rendered three = renders.get("service-monitor-values");
    Deployment hard = three.one(Deployment.class, "tollgate-webhook");
    assertThat(hard.getSpec().getReplicas()).isEqualTo(3);
    assertThat(
            hard.getSpec()
                .getTemplate()
                .getSpec()
                .getAffinity()
                .getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution())
        .hasSize(1);
    assertThat(
            three
                .one(PodDisruptionBudget.class, "tollgate-webhook")
                .getSpec()
                .getMinAvailable()
                .getIntVal())
        .isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void everyContainerRunsNonRootReadOnlyWithoutCapabilitiesAndProbes(String valuesFile) {
    for (Deployment deployment : renders.get(valuesFile).all(Deployment.class)) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      String name = deployment.getMetadata().getName();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .as(name)
          .isEqualTo("RuntimeDefault");
      assertThat(pod.getHostNetwork()).as(name).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getServiceAccountName()).as(name).isEqualTo(name);
      for (Container container : pod.getContainers()) {
        var security = container.getSecurityContext();
        assertThat(security.getRunAsNonRoot()).as(name).isTrue();
        assertThat(security.getRunAsUser()).as(name).isNotZero();
        assertThat(security.getReadOnlyRootFilesystem()).as(name).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).as(name).isFalse();
        assertThat(security.getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
        assertThat(security.getCapabilities().getDrop()).as(name).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).as(name).isNullOrEmpty();
        assertThat(container.getLivenessProbe().getHttpGet().getPath())
            .as(name)
            .isEqualTo("/healthz");
        assertThat(container.getReadinessProbe().getHttpGet().getPath())
            .as(name)
            .isEqualTo("/readyz");
        assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).as(name).containsKey("memory");
      }
    }
  }

  /** The env var names the chart sets are the ones the Java configuration reads. */
  @ParameterizedTest
  @MethodSource("valuesFiles")
  void setsOnlyEnvironmentVariablesTheServicesRead(String valuesFile) throws IOException {
    Set<String> operatorKnown =
        new TreeSet<>(
            constants("operator/src/main/java/dev/tollgate/operator/OperatorConfig.java").values());
    Set<String> webhookKnown =
        new TreeSet<>(
            constants("webhook/src/main/java/dev/tollgate/webhook/WebhookConfig.java").values());
    // The audit export's variables, which the webhook and the sidecar read with the same class,
    // and the webhook's own (the headers Secret, the receivers identities may choose).
    for (String source :
        List.of(
            "runtime/src/main/java/dev/tollgate/runtime/audit/AuditExportSettings.java",
            "webhook/src/main/java/dev/tollgate/webhook/injection/AuditExportInjection.java",
            "webhook/src/main/java/dev/tollgate/webhook/injection/IdentityReceivers.java")) {
      webhookKnown.addAll(constants(source).values());
    }
    assertThat(operatorKnown).contains("TOLLGATE_WATCH_NAMESPACES", "POD_NAME");
    assertThat(webhookKnown).contains("POD_NAMESPACE", "TOLLGATE_SIDECAR_IMAGE");
    operatorKnown.add("JAVA_TOOL_OPTIONS");
    webhookKnown.add("JAVA_TOOL_OPTIONS");
    Rendered rendered = renders.get(valuesFile);
    assertThat(env(container(rendered, "tollgate-operator")).keySet()).isSubsetOf(operatorKnown);
    assertThat(env(container(rendered, "tollgate-webhook")).keySet())
        .isSubsetOf(webhookKnown)
        .contains("POD_NAMESPACE", "TOLLGATE_SIDECAR_IMAGE");
    // Ports the probes and Services use are the ones the services listen on.
    assertThat(env(container(rendered, "tollgate-webhook")))
        .containsEntry("TOLLGATE_WEBHOOK_PORT", "8443")
        .containsEntry("TOLLGATE_METRICS_PORT", "8080");
  }

  // ---- images and JVM flags --------------------------------------------------------------------

  @Test
  void defaultImagesAreTheProjectVersionAndTheSidecarGetsTheMeasuredJvmFlags() throws IOException {
    String projectVersion = projectVersion();
    Rendered rendered = renders.get("default-values");
    assertThat(container(rendered, "tollgate-operator").getImage())
        .isEqualTo("ghcr.io/tollgate-dev/tollgate-operator:" + projectVersion);
    assertThat(container(rendered, "tollgate-webhook").getImage())
        .isEqualTo("ghcr.io/tollgate-dev/tollgate-webhook:" + projectVersion);
    Map<String, String> env = env(container(rendered, "tollgate-webhook"));
    assertThat(env)
        .containsEntry(
            "TOLLGATE_SIDECAR_IMAGE", "ghcr.io/tollgate-dev/tollgate-sidecar:" + projectVersion)
        .containsEntry("TOLLGATE_SIDECAR_PULL_POLICY", "IfNotPresent");
    // The same lines WebhookConfigTest ties WebhookConfig.DEFAULT_SIDECAR_JVM_OPTIONS to.
    List<String> measured =
        Files.readAllLines(root.resolve("sidecar/jvm.options")).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
    assertThat(measured).contains("-XX:+UseSerialGC");
    assertThat(List.of(env.get("TOLLGATE_SIDECAR_JVM_OPTIONS").split(" "))).isEqualTo(measured);
    JsonNode values = Rendered.yamlMapper().readTree(helm.chart().resolve("values.yaml").toFile());
    List<String> defaults = new ArrayList<>();
    values.path("sidecar").path("jvmOptions").forEach(o -> defaults.add(o.asText()));
    assertThat(defaults).isEqualTo(measured);
  }

  @Test
  void imagesPullPoliciesAndJvmFlagsComeFromValues() {
    Rendered rendered = renders.get("service-monitor-values");
    Container operator = container(rendered, "tollgate-operator");
    assertThat(operator.getImage()).isEqualTo("registry.example.com/tollgate/operator:1.2.3");
    assertThat(operator.getImagePullPolicy()).isEqualTo("Always");
    assertThat(env(operator)).containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60");
    Container webhook = container(rendered, "tollgate-webhook");
    assertThat(webhook.getImage())
        .isEqualTo(
            "registry.example.com/tollgate/webhook@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assertThat(webhook.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(env(webhook))
        .containsEntry("TOLLGATE_SIDECAR_IMAGE", "registry.example.com/tollgate/sidecar:1.2.3")
        .containsEntry("TOLLGATE_SIDECAR_PULL_POLICY", "Always")
        .containsEntry("TOLLGATE_SIDECAR_JVM_OPTIONS", "-XX:+UseSerialGC -Xmx48m")
        .containsEntry(
            "JAVA_TOOL_OPTIONS",
            "-XX:+UseSerialGC -Xmx128m -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData"
                + " -Djdk.net.hosts.file=/etc/hosts");
  }

  // ---- ServiceMonitor
  // ----------------------------------------------------------------------------

  @Test
  void serviceMonitorsScrapeTheMetricsPortsOnlyWhenEnabled() {
    assertThat(renders.get("default-values").generic("ServiceMonitor")).isEmpty();
    Rendered rendered = renders.get("service-monitor-values");
    List<JsonNode> monitors = rendered.generic("ServiceMonitor");
    assertThat(monitors).hasSize(2);
    for (JsonNode monitor : monitors) {
      assertThat(monitor.path("metadata").path("labels").path("release").asText())
          .isEqualTo("prometheus");
      Map<String, String> selector = new TreeMap<>();
      monitor
          .path("spec")
          .path("selector")
          .path("matchLabels")
          .fields()
          .forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
      List<Service> services =
          rendered.all(Service.class).stream()
              .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
              .toList();
      assertThat(services)
          .as(monitor.path("metadata").path("name").asText())
          .singleElement()
          .satisfies(
              s -> assertThat(s.getSpec().getPorts()).anyMatch(p -> p.getName().equals("metrics")));
      assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText())
          .isEqualTo("metrics");
    }
  }

  // ---- refusals
  // ----------------------------------------------------------------------------------

  @Test
  void refusesSettingsThatWouldInstallSomethingBroken() throws Exception {
    assertThat(
            templateFailure(
                "--set", "operator.replicas=2", "--set", "operator.leaderElection.enabled=false"))
        .contains("operator.replicas > 1 needs operator.leaderElection.enabled");
    assertThat(templateFailure("--set", "webhook.podDisruptionBudget.minAvailable=2"))
        .contains("minAvailable must be below webhook.replicas");
    assertThat(templateFailure("--set", "watchNamespaces={agents," + NAMESPACE + "}"))
        .contains("must not contain the release namespace");
    assertThat(templateFailure("--set", "webhook.metricsPort=8443"))
        .contains("webhook.port and webhook.metricsPort must differ");
    // Single values are the schema's (ValuesSchemaTest); these two once were template checks.
    assertThat(templateFailure("--set", "injection.nativeSidecars=maybe"))
        .contains("at '/injection/nativeSidecars': value must be one of");
    assertThat(templateFailure("--set", "webhook.timeoutSeconds=31"))
        .contains("at '/webhook/timeoutSeconds': maximum: got 31, want 30");
    // A boolean from --set is as good as the string.
    assertThat(
            env(container(template("--set", "injection.nativeSidecars=true"), "tollgate-webhook")))
        .containsEntry("TOLLGATE_NATIVE_SIDECARS", "true");
  }

  @Test
  void theGitMirrorSizeLimitReachesTheWebhook() throws Exception {
    assertThat(env(container(template(), "tollgate-webhook")))
        .containsEntry("TOLLGATE_GIT_MIRROR_SIZE_LIMIT", "2Gi");
    assertThat(
            env(
                container(
                    template("--set", "injection.git.mirrorSizeLimit=5Gi"), "tollgate-webhook")))
        .containsEntry("TOLLGATE_GIT_MIRROR_SIZE_LIMIT", "5Gi");
  }

  private static final String PEM_START = "-----BEGIN CERTIFICATE-----";

  @Test
  void theAuditExportReachesTheWebhookOnlyWithAnEndpoint() throws Exception {
    assertThat(env(container(template(), "tollgate-webhook")).keySet())
        .noneMatch(name -> name.startsWith("TOLLGATE_AUDIT_EXPORT_"));
    Map<String, String> env =
        env(
            container(
                template(
                    "--set", "sidecar.auditExport.endpoint=https://otel.observability:4318",
                    "--set", "sidecar.auditExport.protocol=otlp",
                    "--set", "sidecar.auditExport.headersSecret=audit-export-headers",
                    "--set", "sidecar.auditExport.batchSize=100",
                    "--set", "sidecar.auditExport.caBundle=" + PEM_START),
                "tollgate-webhook"));
    assertThat(env)
        .containsEntry("TOLLGATE_AUDIT_EXPORT_ENDPOINT", "https://otel.observability:4318")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_PROTOCOL", "otlp")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_HEADERS_SECRET", "audit-export-headers")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_BATCH_SIZE", "100")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_CA_BUNDLE", PEM_START)
        .containsEntry("TOLLGATE_AUDIT_EXPORT_FLUSH_INTERVAL_MS", "2000")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_BUFFER_SIZE", "2048")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_TIMEOUT_MS", "10000")
        .containsEntry("TOLLGATE_AUDIT_EXPORT_MAX_ATTEMPTS", "5");
    assertThat(
            templateFailure(
                "--set",
                "sidecar.auditExport.endpoint=http://x:1",
                "--set",
                "sidecar.auditExport.protocol=grpc"))
        .contains("at '/sidecar/auditExport/protocol': value must be one of");
    assertThat(templateFailure("--set", "sidecar.auditExport.headersSecret=audit-export-headers"))
        .contains("sidecar.auditExport.headersSecret needs sidecar.auditExport.endpoint");
    assertThat(
            env(
                container(
                    template(
                        "--set",
                        "sidecar.auditExport.identityOrigins={https://otel.team-a:4318,http://logs.team-b}"),
                    "tollgate-webhook")))
        .as("identities may choose a receiver with or without a cluster-wide export")
        .containsEntry(
            "TOLLGATE_AUDIT_EXPORT_IDENTITY_ORIGINS", "https://otel.team-a:4318,http://logs.team-b")
        .doesNotContainKey("TOLLGATE_AUDIT_EXPORT_ENDPOINT");
    assertThat(
            templateFailure(
                "--set", "sidecar.auditExport.identityOrigins={https://otel.team-a:4318/v1/logs}"))
        .contains("/sidecar/auditExport/identityOrigins/0");
    assertThat(templateFailure("--set", "sidecar.auditExport.caBundle=" + PEM_START))
        .contains("sidecar.auditExport.caBundle needs sidecar.auditExport.endpoint");
    assertThat(
            templateFailure(
                "--set",
                "sidecar.auditExport.endpoint=http://x:1",
                "--set",
                "sidecar.auditExport.bufferSize=10"))
        .contains("sidecar.auditExport.bufferSize must be at least sidecar.auditExport.batchSize");
  }

  @Test
  void theEgressRuleInstallerIsOnByDefaultAndSwitchedOffClusterWideByOneValue() throws Exception {
    assertThat(env(container(template(), "tollgate-webhook")))
        .containsEntry("TOLLGATE_EGRESS_INIT", "true");
    assertThat(
            env(
                container(
                    template("--set", "injection.egress.initContainer=false"), "tollgate-webhook")))
        .containsEntry("TOLLGATE_EGRESS_INIT", "false");
    assertThat(templateFailure("--set", "injection.egress.initContainer=maybe"))
        .contains("at '/injection/egress/initContainer': value must be one of");
  }

  // ---- values.yaml is documented
  // -----------------------------------------------------------------

  /**
   * Every value in values.yaml has a comment right above it (children of Kubernetes objects, such
   * as `resources` and security contexts, excepted: Kubernetes documents them).
   */
  private static final Set<String> KUBERNETES_OBJECTS =
      Set.of("resources", "podSecurityContext", "securityContext", "metricsFrom", "dnsTo");

  @Test
  void documentsEveryValue() throws IOException {
    List<String> lines =
        Files.readAllLines(helm.chart().resolve("values.yaml"), StandardCharsets.UTF_8);
    Pattern key = Pattern.compile("^(\\s*)([A-Za-z][\\w.-]*):(.*)$");
    List<String> undocumented = new ArrayList<>();
    List<String> path = new ArrayList<>();
    List<Integer> indents = new ArrayList<>();
    String previous = "";
    for (String line : lines) {
      Matcher m = key.matcher(line);
      if (m.matches()) {
        int indent = m.group(1).length();
        while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
          indents.remove(indents.size() - 1);
          path.remove(path.size() - 1);
        }
        boolean leaf = !m.group(3).isBlank();
        boolean freeForm = path.stream().anyMatch(KUBERNETES_OBJECTS::contains);
        if (leaf && !freeForm && !previous.strip().startsWith("#")) {
          undocumented.add(String.join(".", path) + (path.isEmpty() ? "" : ".") + m.group(2));
        }
        indents.add(indent);
        path.add(m.group(2));
      }
      if (!line.isBlank()) {
        previous = line;
      }
    }
    assertThat(undocumented).isEmpty();
    // And the chart's README names every top-level section.
    String readme = Files.readString(helm.chart().resolve("README.md"));
    JsonNode values = Rendered.yamlMapper().readTree(helm.chart().resolve("values.yaml").toFile());
    values
        .fieldNames()
        .forEachRemaining(
            name -> assertThat(readme).as("README.md names %s", name).contains("`" + name));
  }

  // ---- helpers
  // -----------------------------------------------------------------------------------

  private Rendered template(String... extra) throws Exception {
    return render.template(extra);
  }

  private String templateFailure(String... extra) throws Exception {
    return render.templateFailure(extra);
  }

  private static Container container(Rendered rendered, String deployment) {
    return ChartRender.container(rendered, deployment);
  }

  private static Map<String, String> env(Container container) {
    return ChartRender.env(container);
  }

  private static List<String> resources(List<RuleWithOperations> rules) {
    return rules.stream().flatMap(r -> r.getResources().stream()).toList();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** {@code static final String NAME = "value";} constants of a source file, by name. */
  private Map<String, String> constants(String source) throws IOException {
    Matcher m =
        Pattern.compile("static final String (\\w+) = \"([^\"]+)\";")
            .matcher(Files.readString(root.resolve(source)));
    Map<String, String> constants = new LinkedHashMap<>();
    while (m.find()) {
      constants.put(m.group(1), m.group(2));
    }
    assertThat(constants).as(source).isNotEmpty();
    return constants;
  }

  /** The rules of the per-identity sidecar Role, from the operator's source. */
  private List<PolicyRule> sidecarRoleRules() throws IOException {
    String source =
        Files.readString(
                root.resolve(
                    "operator/src/main/java/dev/tollgate/operator/identity/SidecarRoleDependentResource.java"))
            .replaceAll("//[^\n]*", "");
    Matcher m =
        Pattern.compile(
                "\\.withApiGroups\\(([^)]*)\\)\\s*\\.withResources\\(([^)]*)\\)\\s*\\.withVerbs\\(([^)]*)\\)")
            .matcher(source);
    List<PolicyRule> rules = new ArrayList<>();
    while (m.find()) {
      PolicyRule rule = new PolicyRule();
      rule.setApiGroups(javaStrings(m.group(1)));
      rule.setResources(javaStrings(m.group(2)));
      rule.setVerbs(javaStrings(m.group(3)));
      rules.add(rule);
    }
    return rules;
  }

  private static List<String> javaStrings(String arguments) {
    return Stream.of(arguments.split(","))
        .map(String::strip)
        .map(a -> a.equals("TollgateApi.GROUP") ? "tollgate.dev" : a.replaceAll("^\"|\"$", ""))
        .toList();
  }

  /** The operator's rules per scope: "cluster", or each namespace of its Roles. */
  private static Map<String, List<PolicyRule>> operatorRules(Rendered rendered) {
    Map<String, List<PolicyRule>> byScope = new TreeMap<>();
    for (ClusterRoleBinding binding : rendered.all(ClusterRoleBinding.class)) {
      if (boundToOperator(binding.getSubjects())) {
        byScope
            .computeIfAbsent("cluster", k -> new ArrayList<>())
            .addAll(rendered.one(ClusterRole.class, binding.getRoleRef().getName()).getRules());
      }
    }
    for (RoleBinding binding : rendered.all(RoleBinding.class)) {
      if (boundToOperator(binding.getSubjects())
          && !binding.getMetadata().getNamespace().equals(NAMESPACE)) {
        String namespace = binding.getMetadata().getNamespace();
        rendered.all(Role.class).stream()
            .filter(
                r ->
                    r.getMetadata().getNamespace().equals(namespace)
                        && r.getMetadata().getName().equals(binding.getRoleRef().getName()))
            .forEach(
                r ->
                    byScope
                        .computeIfAbsent(namespace, k -> new ArrayList<>())
                        .addAll(r.getRules()));
      }
    }
    return byScope;
  }

  private static boolean boundToOperator(List<Subject> subjects) {
    return subjects.stream().anyMatch(s -> s.getName().equals("tollgate-operator"));
  }

  private String projectVersion() throws IOException {
    String pom = Files.readString(root.resolve("pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>tollgate-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).isTrue();
    JsonNode chart = Rendered.yamlMapper().readTree(helm.chart().resolve("Chart.yaml").toFile());
    // The chart's appVersion is the default image tag; the build tags images with the project
    // version.
    assertThat(chart.path("appVersion").asText()).isEqualTo(m.group(1));
    return m.group(1);
  }
}
