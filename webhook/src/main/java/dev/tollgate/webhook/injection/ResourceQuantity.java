package dev.tollgate.webhook.injection;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 250m}, {@code 96Mi}, {@code 2Gi}, {@code 1e3}), checked
 * against the API server's own grammar before it is put into a pod, so a bad setting or annotation
 * is refused by name here rather than as an opaque patch failure.
 */
public final class ResourceQuantity {

  /** The API server's quantity grammar, without a sign: Tollgate never asks for a negative. */
  private static final Pattern GRAMMAR =
      Pattern.compile(
          "([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");

  private ResourceQuantity() {}

  /** The amount (bytes, or cores for CPU) of a well-formed quantity; empty otherwise. */
  public static Optional<BigDecimal> amount(String text) {
    if (text == null || !GRAMMAR.matcher(text).matches()) {
      return Optional.empty();
    }
    return Optional.of(Quantity.getAmountInBytes(new Quantity(text)));
  }

  public static boolean isValid(String text) {
    return amount(text).isPresent();
  }

  /** Whether {@code a} is more than {@code b}; both must be valid. */
  public static boolean exceeds(String a, String b) {
    return amount(a).orElseThrow().compareTo(amount(b).orElseThrow()) > 0;
  }
}
