package dev.tollgate.operator;

import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.operator.metrics.OperatorMetrics;
import dev.tollgate.operator.status.StatusWrites;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Tollgate operator, exactly as {@code OperatorMain} assembles it, against a (mock) API server.
 */
public final class OperatorHarness implements AutoCloseable {

  private final TollgateOperator operator;
  private final OperatorMetrics metrics = new OperatorMetrics();

  public OperatorHarness(KubernetesClient client, Clock clock) {
    try {
      operator =
          new TollgateOperator(
              client,
              OperatorConfig.from(Map.of(), new String[] {"--pod-name", "test"}),
              metrics,
              clock,
              LeaderElectionSettings.DEFAULT,
              StatusWrites.JSON_PATCH_FOR_MOCK_SERVER);
    } catch (OperatorConfigException e) {
      throw new IllegalStateException(e);
    }
    operator.start();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    operator.close();
  }

  /**
   * Creates or replaces every document of a YAML text, keeping the status of existing objects as a
   * real API server does (the mock server has no status subresource: a plain PUT would wipe it).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void apply(KubernetesClient client, String yaml) {
    for (HasMetadata object : load(yaml)) {
      // The operator patches status concurrently: on a conflict, read again and retry, as kubectl
      // does.
      for (int attempt = 1; ; attempt++) {
        try {
          HasMetadata existing = client.resource(object).get();
          if (existing == null) {
            client.resource(object).create();
          } else {
            if (object instanceof CustomResource desired
                && existing instanceof CustomResource current) {
              desired.setStatus(current.getStatus());
            }
            object.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            client.resource(object).update();
          }
          break;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt == 10) {
            throw e;
          }
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  public static List<HasMetadata> load(String yaml) {
    Object loaded = Serialization.unmarshal(yaml);
    return loaded instanceof List<?> list
        ? (List<HasMetadata>) list
        : List.of((HasMetadata) loaded);
  }

  /**
   * What {@code tollgate bundle} prints for the same YAML: the operator must publish exactly this.
   */
  public static String cliBundle(String yaml, String namespace, String identity) {
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    new ManifestLoader().readText(yaml, "test.yaml", documents, problems);
    return BundleCodec.toJson(
        new BundleCompiler()
            .compile(
                PolicySet.fromDocuments(documents, "default"),
                new ObjectRef(Kind.AGENT_IDENTITY, namespace, identity))
            .bundle()
            .orElseThrow());
  }
}
