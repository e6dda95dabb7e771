package dev.tollgate.agenttests.model;

/** A {@code tool_result} block as the agent sent it back to the model: what the model saw. */
public record ToolResult(String toolUseId, String content, boolean isError) {}
