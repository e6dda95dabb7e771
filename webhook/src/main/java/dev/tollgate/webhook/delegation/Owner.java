package dev.tollgate.webhook.delegation;

/** An object by kind and name, in the namespace at hand (a pod's controller, a proof's subject). */
public record Owner(String kind, String name) {
  @Override
  public String toString() {
    return kind + " " + name;
  }
}
