package dev.tollgate.webhook.delegation;

import dev.tollgate.api.delegation.DelegationProof;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether the principal an object claims is proven (docs/design.md §8.4): the requester is
 * that user (and holds the groups), or may impersonate them, or, for a pod a built-in controller
 * creates, the pod carries a proof the webhook stamped on its owner. Groups never come from an
 * annotation alone.
 */
public final class DelegationCheck {

  private final AccessReview reviews;
  private final Supplier<SigningKeyRing> keys;

  public DelegationCheck(AccessReview reviews, Supplier<SigningKeyRing> keys) {
    this.reviews = reviews;
    this.keys = keys;
  }

  /**
   * The principal of a pod at creation.
   *
   * @param owner the pod's controlling owner reference, when it has one
   */
  public DelegationResult forPod(
      String namespace,
      Map<String, String> annotations,
      Map<String, String> labels,
      Optional<Owner> owner,
      UserInfo requester) {
    Claim claim = Claim.of(annotations);
    if (!claim.claimsSomeone()) {
      String user = requester == null ? null : requester.getUsername();
      if (!Principal.isHuman(user)) {
        return DelegationResult.accepted(Principal.NOBODY);
      }
      // A human who names nobody acts for themselves, with the groups they authenticated with.
      return DelegationResult.accepted(new Principal(user, ownGroups(requester)));
    }
    DelegationResult direct = direct(claim, requester);
    if (direct.accepted() || requester == null || owner.isEmpty()) {
      return direct;
    }
    if (!BuiltInControllers.createsPodsFor(requester.getUsername(), owner.get().kind())) {
      return direct;
    }
    return stamped(namespace, claim, labels, owner.get());
  }

  /** A workload's template claim, as its requester may make it (controllers are not asked). */
  public DelegationResult forTemplate(Map<String, String> templateAnnotations, UserInfo requester) {
    return direct(Claim.of(templateAnnotations), requester);
  }

  /** The proof for a workload (or an identity's pods) bound to that one object. */
  public DelegationProof stamp(String namespace, String kind, String name, Principal principal) {
    return keys.get()
        .sign(
            DelegationProof.statement(namespace, kind, name, principal.user(), principal.groups()));
  }

  private DelegationResult direct(Claim claim, UserInfo requester) {
    String who =
        requester == null || requester.getUsername() == null ? "" : requester.getUsername();
    if (who.isEmpty()) {
      return DelegationResult.refused(
          "an unauthenticated request may not act on behalf of user " + claim.user());
    }
    boolean self = who.equals(claim.user());
    if (!self && !reviews.mayImpersonate(requester, "users", claim.user())) {
      return DelegationResult.refused(
          who
              + " may not impersonate user "
              + claim.user()
              + ": a pod or workload may claim tollgate.dev/on-behalf-of only for its creator, "
              + "for a user its creator may impersonate (RBAC verb impersonate on users), or from a "
              + "workload that was proven for that user");
    }
    List<String> groups = claim.groups().orElseGet(() -> self ? ownGroups(requester) : List.of());
    List<String> held = requester.getGroups() == null ? List.of() : requester.getGroups();
    List<String> missing = new ArrayList<>();
    for (String group : groups) {
      if (!(self && held.contains(group)) && !reviews.mayImpersonate(requester, "groups", group)) {
        missing.add(group);
      }
    }
    if (!missing.isEmpty()) {
      return DelegationResult.refused(
          who
              + (self ? " is not in group" : " may not impersonate group")
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing)
              + (self ? " and may not impersonate " + (missing.size() > 1 ? "them" : "it") : "")
              + " (tollgate.dev/on-behalf-of-groups): groups come from the requester's "
              + "authentication or from impersonation, never from an annotation alone");
    }
    return DelegationResult.accepted(new Principal(claim.user(), groups));
  }

  private DelegationResult stamped(
      String namespace, Claim claim, Map<String, String> labels, Owner owner) {
    List<String> groups = claim.groups().orElse(List.of());
    Optional<DelegationProof> proof = claim.proof().flatMap(DelegationProof::parse);
    if (proof.isEmpty()) {
      return DelegationResult.refused(
          "this pod of "
              + owner
              + " claims user "
              + claim.user()
              + " but carries no valid "
              + DelegationProof.ANNOTATION
              + ": the workload was not created or last changed by someone who may act for "
              + claim.user());
    }
    List<Owner> candidates = new ArrayList<>(List.of(owner));
    BuiltInControllers.templateSource(owner, labels).ifPresent(candidates::add);
    for (Owner candidate : candidates) {
      byte[] statement =
          DelegationProof.statement(
              namespace, candidate.kind(), candidate.name(), claim.user(), groups);
      if (proof.get().verifies(statement, keys.get().publicKeys())) {
        return DelegationResult.accepted(new Principal(claim.user(), groups));
      }
    }
    return DelegationResult.refused(
        "the "
            + DelegationProof.ANNOTATION
            + " on this pod of "
            + owner
            + " does not prove user "
            + claim.user()
            + (groups.isEmpty() ? "" : " with groups " + String.join(", ", groups))
            + ": it was stamped for another workload, namespace or principal, or its key ("
            + proof.get().keyId()
            + ") is no longer in the webhook's key ring");
  }

  private static List<String> ownGroups(UserInfo requester) {
    return requester.getGroups() == null
        ? List.of()
        : requester.getGroups().stream().filter(g -> !g.startsWith("system:")).toList();
  }
}
