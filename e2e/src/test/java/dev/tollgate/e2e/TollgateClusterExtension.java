package dev.tollgate.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands the shared {@link TollgateCluster} to test classes ({@code @ExtendWith}, then a {@code
 * TollgateCluster} parameter) and stops it when the whole run ends: the root context's store closes
 * what it holds after the last test class, whichever classes ran.
 */
public final class TollgateClusterExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TollgateClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TollgateCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            TollgateCluster.class, key -> TollgateCluster.shared(), TollgateCluster.class);
  }
}
