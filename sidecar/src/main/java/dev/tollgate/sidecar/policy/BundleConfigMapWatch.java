package dev.tollgate.sidecar.policy;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.sidecar.kubernetes.ApiClients;
import dev.tollgate.sidecar.kubernetes.KubernetesMode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Follows the identity's bundle ConfigMap through the API and hands its {@value
 * BundleConfigMaps#DATA_KEY} to {@link BundleLoader}: a changed policy is enforced within seconds
 * instead of after the kubelet's next volume sync. The informer asks for that one name (a field
 * selector on {@code metadata.name}), so a Role with {@code resourceNames} allows it.
 */
public final class BundleConfigMapWatch implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(BundleConfigMapWatch.class.getName());

  private final KubernetesClient client;
  private final BundleSource source;
  private final BundleLoader loader;
  private final SharedIndexInformer<ConfigMap> informer;
  private volatile boolean closing;

  /**
   * The watch {@link PolicySettings#configMapWatch()} asks for, on a client of the pod's service
   * account; empty when it is off (auto: outside a cluster) or the identity is unknown.
   *
   * @param podNamespace where the ConfigMap is (the identity's namespace when unknown)
   */
  public static Optional<BundleConfigMapWatch> connect(
      PolicySettings policy, String podNamespace, Map<String, String> env, BundleLoader loader) {
    if (!policy.configMapWatch().active(env, KubernetesMode.SERVICE_ACCOUNT_TOKEN)) {
      return Optional.empty();
    }
    if (policy.expectedIdentity().isEmpty()) {
      LOG.info("the bundle ConfigMap is not followed: the identity is unknown");
      return Optional.empty();
    }
    try {
      return Optional.of(start(ApiClients.serviceAccount(), policy, podNamespace, loader));
    } catch (RuntimeException e) {
      // The sidecar is already serving from the file; a watch it cannot set up only slows updates.
      LOG.warning("cannot follow the bundle ConfigMap (" + e + "); the file is the only source");
      return Optional.empty();
    }
  }

  /**
   * Follows the bundle ConfigMap of {@link PolicySettings#expectedIdentity()} with {@code client}.
   */
  public static BundleConfigMapWatch start(
      KubernetesClient client, PolicySettings policy, String podNamespace, BundleLoader loader) {
    String[] identity = policy.expectedIdentity().split("/", 2);
    String namespace = podNamespace.isEmpty() ? identity[0] : podNamespace;
    return new BundleConfigMapWatch(
        client, namespace, BundleConfigMaps.nameFor(identity[1]), loader);
  }

  /**
   * Starts following {@code namespace/name} without waiting for the first list: the file already
   * gave the bundle at start, and a watch the API refuses leaves the file the source.
   *
   * @param client closed with this watch
   */
  public BundleConfigMapWatch(
      KubernetesClient client, String namespace, String name, BundleLoader loader) {
    this.client = client;
    this.source = BundleSource.configMap(namespace, name);
    this.loader = loader;
    this.informer = client.configMaps().inNamespace(namespace).withName(name).runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap configMap) {
            deliver(configMap);
          }

          @Override
          public void onUpdate(ConfigMap before, ConfigMap after) {
            deliver(after);
          }

          @Override
          public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
            loader.withdraw(source, source + " was deleted");
          }
        });
    informer
        .stopped()
        .whenComplete(
            (ignored, error) -> {
              if (!closing) {
                loader.configMapWatchStopped(error == null ? "the watch ended" : error.toString());
              }
            });
    informer
        .start()
        .whenComplete(
            (ignored, error) -> {
              if (error != null && !closing) {
                LOG.warning(
                    "cannot follow "
                        + source
                        + " through the API ("
                        + error
                        + "); bundle changes arrive with the kubelet's refresh of the file");
              } else if (error == null) {
                LOG.info("following " + source + " through the API");
              }
            });
  }

  private void deliver(ConfigMap configMap) {
    Map<String, String> data = configMap.getData();
    String bundle = data == null ? null : data.get(BundleConfigMaps.DATA_KEY);
    if (bundle == null) {
      loader.withdraw(source, source + " has no " + BundleConfigMaps.DATA_KEY);
    } else {
      loader.offer(source, bundle.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    closing = true;
    informer.close();
    client.close();
  }
}
