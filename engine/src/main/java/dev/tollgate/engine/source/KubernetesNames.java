package dev.tollgate.engine.source;

import java.util.regex.Pattern;

/**
 * The formats Kubernetes gives object names, checked offline so that the CLI refuses what an API
 * server would. The one definition for object names, namespaces and the service account an identity
 * names.
 */
public final class KubernetesNames {

  /** The longest DNS-1123 subdomain: an object or service account name. */
  public static final int MAX_SUBDOMAIN_LENGTH = 253;

  /** The longest DNS-1123 label: a namespace. */
  public static final int MAX_LABEL_LENGTH = 63;

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private KubernetesNames() {}

  /**
   * Lower-case alphanumeric labels joined by dots; callers check {@link #MAX_SUBDOMAIN_LENGTH}
   * where they need it.
   */
  public static boolean isDnsSubdomain(String name) {
    return DNS_SUBDOMAIN.matcher(name).matches();
  }

  /**
   * Lower-case alphanumerics and inner dashes; callers check {@link #MAX_LABEL_LENGTH} where they
   * need it.
   */
  public static boolean isDnsLabel(String name) {
    return DNS_LABEL.matcher(name).matches();
  }

  /** {@code namespace/name}: how an object of another namespace is named in flags and env. */
  public static boolean isNamespacedName(String text) {
    int slash = text.indexOf('/');
    return slash > 0
        && isDnsLabel(text.substring(0, slash))
        && isDnsSubdomain(text.substring(slash + 1));
  }
}
