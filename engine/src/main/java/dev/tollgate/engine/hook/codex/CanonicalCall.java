package dev.tollgate.engine.hook.codex;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One call under the canonical tool names (Claude Code's: {@code Bash}, {@code Read}, {@code
 * Write}, {@code Edit}, {@code Glob}, {@code Grep}, {@code WebFetch}, {@code mcp__server__tool}),
 * which is what every policy is written against.
 */
public record CanonicalCall(String tool, ObjectNode input) {}
