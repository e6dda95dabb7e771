package dev.tollgate.engine.model;

import java.util.Collection;
import java.util.Set;

/**
 * A list of {@code user:NAME} and {@code group:NAME} entries, such as an identity's {@code
 * allowedPrincipals} or an approval's {@code approvers}, and the one reading of whom it names (see
 * {@link FieldRules#PRINCIPAL} for the entries' format).
 */
public final class PrincipalList {

  /** How an entry names a user. */
  public static final String USER_PREFIX = "user:";

  /** How an entry names a group. */
  public static final String GROUP_PREFIX = "group:";

  private final Set<String> entries;

  public PrincipalList(Collection<String> entries) {
    this.entries = Set.copyOf(entries);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Whether the list names the user or one of their groups.
   *
   * @param user the user name, without {@code user:}
   * @param groups the user's groups, without {@code group:}
   */
  public boolean names(String user, Collection<String> groups) {
    if (entries.contains(USER_PREFIX + user)) {
      return true;
    }
    for (String group : groups) {
      if (entries.contains(GROUP_PREFIX + group)) {
        return true;
      }
    }
    return false;
  }
}
