package dev.tollgate.e2e;

/**
 * What a GitOps tool concludes about an object: kstatus's Current / InProgress / Failed (Flux) or
 * Argo CD's Healthy / Progressing / Degraded, with the tool's message.
 */
record GitOpsVerdict(String status, String message) {

  /** A checker's "status TAB message" line. */
  static GitOpsVerdict parse(String output) {
    String line = output.strip();
    int tab = line.indexOf('\t');
    return tab < 0
        ? new GitOpsVerdict(line, "")
        : new GitOpsVerdict(line.substring(0, tab), line.substring(tab + 1));
  }
}
