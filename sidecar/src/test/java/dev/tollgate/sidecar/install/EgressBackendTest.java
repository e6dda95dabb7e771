package dev.tollgate.sidecar.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the installer picks the iptables backend, with stand-in tools (shell scripts printing what
 * {@code -save} would) in a directory laid out like an image's root.
 */
class EgressBackendTest {

  @TempDir Path root;

  private void tool(String name, String script) throws Exception {
    Path dir = Files.createDirectories(root.resolve("usr/sbin"));
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private void saves(String backend, int rules) throws Exception {
    String lines = "echo '*filter'; " + "echo '-A INPUT -j ACCEPT'; ".repeat(rules) + "echo COMMIT";
    tool("iptables-" + backend + "-save", lines);
    tool("ip6tables-" + backend + "-save", "echo '*filter'; echo COMMIT");
  }

  private String backend() throws Exception {
    return new EgressRuleInstaller(root, Map.of()).backend();
  }

  @Test
  void withNoRulesAnywhereNfTablesWins() throws Exception {
    saves("nft", 0);
    saves("legacy", 0);
    assertThat(backend()).isEqualTo("nft");
  }

  @Test
  void theBackendThatAlreadyHoldsRulesWins() throws Exception {
    saves("nft", 1);
    saves("legacy", 3);
    assertThat(backend()).isEqualTo("legacy");
    saves("nft", 3);
    assertThat(backend()).as("a tie goes to nf_tables").isEqualTo("nft");
  }

  @Test
  void aKernelWithoutNfTablesGetsLegacy() throws Exception {
    tool(
        "iptables-nft-save",
        "echo 'iptables v1.8.9 (nf_tables): Could not fetch rule set' >&2; exit 1");
    tool("ip6tables-nft-save", "exit 1");
    saves("legacy", 0);
    assertThat(backend()).isEqualTo("legacy");
  }

  @Test
  void anImageWithOnlyUnsuffixedToolsUsesThem() throws Exception {
    tool("iptables-restore", "exit 0");
    assertThat(backend()).isEmpty();
  }

  @Test
  void anImageWithoutIptablesFailsClosed() {
    assertThatThrownBy(this::backend)
        .isInstanceOf(EgressRuleInstaller.InstallException.class)
        .hasMessageContaining("no working iptables-restore")
        .hasMessageContaining("must not start");
  }
}
