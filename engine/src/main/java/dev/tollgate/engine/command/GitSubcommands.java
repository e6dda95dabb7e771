package dev.tollgate.engine.command;

import java.util.Set;

/**
 * The subcommands git itself provides. Anything else after {@code git} is an alias from some
 * configuration file or an external {@code git-<name>} program on the PATH: neither can be known
 * from the command line, so policies treat it as opaque.
 */
final class GitSubcommands {

  private static final Set<String> KNOWN = Set.of(
      "add", "am", "annotate", "apply", "archimport", "archive", "backfill", "bisect", "blame", "branch",
      "bugreport", "bundle", "cat-file", "check-attr", "check-ignore", "check-mailmap", "check-ref-format",
      "checkout", "checkout-index", "cherry", "cherry-pick", "citool", "clean", "clone", "column", "commit",
      "commit-graph", "commit-tree", "config", "count-objects", "credential", "credential-cache",
      "credential-store", "cvsexportcommit", "cvsimport", "cvsserver", "daemon", "describe", "diagnose",
      "diff", "diff-files", "diff-index", "diff-pairs", "diff-tree", "difftool", "fast-export", "fast-import",
      "fetch", "fetch-pack", "filter-branch", "fmt-merge-msg", "for-each-ref", "for-each-repo",
      "format-patch", "fsck", "fsck-objects", "fsmonitor--daemon", "gc", "get-tar-commit-id", "grep", "gui",
      "hash-object", "help", "hook", "http-backend", "http-fetch", "http-push", "imap-send", "index-pack",
      "init", "init-db", "instaweb", "interpret-trailers", "last-modified", "log", "ls-files", "ls-remote",
      "ls-tree", "mailinfo", "mailsplit", "maintenance", "merge", "merge-base", "merge-file", "merge-index",
      "merge-one-file", "merge-tree", "mergetool", "mktag", "mktree", "multi-pack-index", "mv", "name-rev",
      "notes", "p4", "pack-objects", "pack-redundant", "pack-refs", "patch-id", "prune", "prune-packed",
      "pull", "push", "quiltimport", "range-diff", "read-tree", "rebase", "receive-pack", "reflog", "refs",
      "remote", "repack", "replace", "replay", "repo", "request-pull", "rerere", "reset", "restore",
      "rev-list", "rev-parse", "revert", "rm", "scalar", "send-email", "send-pack", "sh-i18n", "shell",
      "shortlog", "show", "show-branch", "show-index", "show-ref", "sparse-checkout", "stage", "stash",
      "status", "stripspace", "submodule", "subtree", "svn", "switch", "symbolic-ref", "tag", "unpack-file",
      "unpack-objects", "update-index", "update-ref", "update-server-info", "upload-archive", "upload-pack",
      "var", "verify-commit", "verify-pack", "verify-tag", "version", "web--browse", "whatchanged",
      "worktree", "write-tree");

  private GitSubcommands() {}

  /** True for git's own subcommands, and for no subcommand at all ({@code git --version}). */
  static boolean isKnown(String subcommand) {
    return subcommand.isEmpty() || KNOWN.contains(subcommand);
  }
}
