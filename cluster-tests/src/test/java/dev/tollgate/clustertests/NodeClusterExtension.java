package dev.tollgate.clustertests;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands the shared {@link NodeCluster} (with the agent Deployment running) to test classes and
 * stops it when the whole run ends: the root context's store closes what it holds last.
 */
public final class NodeClusterExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(NodeClusterExtension.class);

  /** Closes the cluster with the root store. */
  private record Held(NodeCluster cluster, AgentDeployment agent) implements AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == NodeCluster.class || type == AgentDeployment.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Held held =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                Held.class,
                key -> {
                  NodeCluster cluster = NodeCluster.start();
                  try {
                    return new Held(cluster, AgentDeployment.deploy(cluster));
                  } catch (RuntimeException | AssertionError e) {
                    cluster.close();
                    throw e;
                  }
                },
                Held.class);
    return parameter.getParameter().getType() == NodeCluster.class ? held.cluster() : held.agent();
  }
}
