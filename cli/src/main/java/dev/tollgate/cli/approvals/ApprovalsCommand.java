package dev.tollgate.cli.approvals;

import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.cli.ExitCode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code approvals}: the ToolCallApprovals waiting for a human, oldest first. */
@Command(
    name = "approvals",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCode.CLUSTER_OK_HELP,
      ExitCode.CLUSTER_FAILED_HELP,
      ExitCode.USAGE_HELP,
      ExitCode.INTERNAL_HELP
    },
    sortOptions = false,
    description = "List pending ToolCallApprovals (tool, summary, requester, age, expiry).")
public final class ApprovalsCommand implements Callable<Integer> {

  @Mixin ClusterAccess cluster;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "List approvals in every namespace.")
  boolean allNamespaces;

  @Option(names = "--all", description = "Also list decided and expired approvals.")
  boolean all;

  @Mixin ApprovalFormat.Choice output;

  @Option(
      names = {"-w", "--watch"},
      description =
          "After listing, print each change until interrupted: a new pending approval, a change "
              + "to a listed one, and how it left the list (decided, expired, deleted). With -o "
              + "json, one {\"type\",\"object\"} event a line; yaml, one such document each.")
  boolean watch;

  @Spec CommandSpec spec;

  static Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = cluster.client()) {
      if (watch) {
        return watch(client, out);
      }
      Instant now = clock.instant();
      List<ToolCallApproval> approvals =
          approvals(client).stream()
              .filter(this::listed)
              .sorted(Comparator.comparing(ApprovalsCommand::created))
              .toList();
      if (output.format != null) {
        new ApprovalPrinter(output.format, out).list(approvals);
        return ExitCode.OK;
      }
      if (approvals.isEmpty()) {
        out.println(all ? "No ToolCallApprovals found." : "No pending ToolCallApprovals.");
        return ExitCode.OK;
      }
      ApprovalTable table = new ApprovalTable(allNamespaces);
      List<String[]> rows = new ArrayList<>();
      rows.add(table.header());
      approvals.forEach(a -> rows.add(table.row(a, now, null)));
      ApprovalTable.print(out, rows);
      return ExitCode.OK;
    }
  }

  private List<ToolCallApproval> approvals(KubernetesClient client) {
    var resources = client.resources(ToolCallApproval.class);
    return allNamespaces
        ? resources.inAnyNamespace().list().getItems()
        : resources.inNamespace(cluster.namespace(client)).list().getItems();
  }

  private boolean listed(ToolCallApproval approval) {
    return approval.getSpec() != null && (all || ApprovalView.pending(approval, clock.instant()));
  }

  private static String created(ToolCallApproval approval) {
    String created = approval.getMetadata().getCreationTimestamp();
    return created == null ? "" : created;
  }

  /**
   * Lists through an informer and prints what it reports until the thread is interrupted (or the
   * process is stopped); an informer relists and watches again by itself after a lost watch.
   */
  private int watch(KubernetesClient client, PrintWriter out) {
    ApprovalWatch.Sink sink;
    if (output.format != null) {
      ApprovalPrinter printer = new ApprovalPrinter(output.format, out);
      sink = printer::event;
    } else {
      ApprovalTable table = new ApprovalTable(allNamespaces);
      int[] widths = table.watchWidths();
      ApprovalTable.line(out, table.header(), widths);
      out.flush();
      sink =
          (type, approval) -> {
            Instant now = clock.instant();
            ApprovalTable.line(
                out, table.row(approval, now, type.equals("DELETED") ? "Deleted" : null), widths);
            out.flush();
          };
    }
    var resources = client.resources(ToolCallApproval.class);
    try (SharedIndexInformer<ToolCallApproval> informer =
        allNamespaces
            ? resources.inAnyNamespace().runnableInformer(0)
            : resources.inNamespace(cluster.namespace(client)).runnableInformer(0)) {
      informer.addEventHandler(new ApprovalWatch(this::listed, sink));
      informer.exceptionHandler(ApprovalsCommand::retryWatch);
      informer.run();
      informer.stopped().toCompletableFuture().get();
      return ExitCode.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.OK;
    } catch (ExecutionException e) {
      throw explained(refusal(e.getCause()));
    } catch (KubernetesClientException e) {
      throw explained(e);
    }
  }

  /**
   * A refused watch (a websocket upgrade) carries no Status saying why, unlike a refused list: say
   * what is needed.
   */
  private static KubernetesClientException explained(KubernetesClientException refused) {
    if (refused.getCode() == HttpURLConnection.HTTP_FORBIDDEN
        || refused.getCode() == HttpURLConnection.HTTP_UNAUTHORIZED) {
      return new KubernetesClientException(
          "the API server refused to list or watch ToolCallApprovals (HTTP "
              + refused.getCode()
              + "): --watch needs the list and watch verbs on toolcallapprovals.tollgate.dev; "
              + "the server said: "
              + refused.getMessage(),
          refused);
    }
    return refused;
  }

  /**
   * A lost watch is listed and watched again; a refused one (no {@code watch} verb, credentials
   * gone) ends the command with the server's reason instead of retrying while printing nothing.
   */
  private static boolean retryWatch(boolean started, Throwable failure) {
    KubernetesClientException refused = refusal(failure);
    return started
        && refused.getCode() != HttpURLConnection.HTTP_UNAUTHORIZED
        && refused.getCode() != HttpURLConnection.HTTP_FORBIDDEN
        && !ExceptionHandler.isDeserializationException(failure);
  }

  private static KubernetesClientException refusal(Throwable failure) {
    if (failure instanceof KubernetesClientException client) {
      return client;
    }
    if (failure instanceof WatcherException watcher) {
      return watcher.asClientException();
    }
    return new KubernetesClientException("the watch stopped: " + failure, failure);
  }
}
