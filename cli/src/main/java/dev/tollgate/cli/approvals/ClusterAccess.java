package dev.tollgate.cli.approvals;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The cluster options shared by the approvals commands, as kubectl spells them; the client comes
 * from the kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster) unless a test supplies one.
 */
public final class ClusterAccess {

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Kubeconfig to use (default: $KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context to use.")
  String context;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description = "Namespace (default: the context's).")
  String namespace;

  private static volatile Function<ClusterAccess, KubernetesClient> factory =
      ClusterAccess::fromKubeconfig;

  /** Tests point the commands at a mock API server. */
  public static void useClientFactory(Function<ClusterAccess, KubernetesClient> clients) {
    factory = clients == null ? ClusterAccess::fromKubeconfig : clients;
  }

  KubernetesClient client() {
    return factory.apply(this);
  }

  String namespace(KubernetesClient client) {
    if (namespace != null && !namespace.isBlank()) {
      return namespace;
    }
    String fromConfig = client.getConfiguration().getNamespace();
    return fromConfig == null || fromConfig.isBlank() ? "default" : fromConfig;
  }

  private static KubernetesClient fromKubeconfig(ClusterAccess access) {
    Config config;
    if (access.kubeconfig != null) {
      try {
        config =
            Config.fromKubeconfig(
                access.context, Files.readString(access.kubeconfig), access.kubeconfig.toString());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read kubeconfig " + access.kubeconfig + ": " + e.getMessage(), e);
      }
    } else {
      config = Config.autoConfigure(access.context);
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
