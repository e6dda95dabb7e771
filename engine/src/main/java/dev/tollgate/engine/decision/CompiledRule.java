package dev.tollgate.engine.decision;

import dev.tollgate.engine.cel.CelCondition;
import dev.tollgate.engine.model.Effect;
import java.util.List;

/**
 * A bundle rule ready to run.
 *
 * @param ordinal position in the bundle, to keep explanations in bundle order
 * @param condition the compiled {@code when}, or null for always
 */
record CompiledRule(
    int ordinal,
    String id,
    List<String> tools,
    Effect effect,
    CelCondition condition,
    String message,
    List<String> approvers) {}
