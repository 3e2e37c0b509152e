import { ApolloArmor } from "@escape.tech/graphql-armor";

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
}

/**
 * Depth, cost, alias, directive and token limits for every operation (graphql-armor's validation rules),
 * so one request cannot make the server walk an unbounded tree. The limits are stated in the refusal.
 */
export function queryLimitProtection(limits: QueryLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, exposeLimits: true, ignoreIntrospection: true },
    costLimit: { maxCost: limits.maxCost, exposeLimits: true, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    maxTokens: { n: limits.maxTokens, exposeLimits: true },
    // Field suggestions stay: this API's schema is public (schema.graphql), so they reveal nothing.
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

const LIMIT_CODES: [RegExp, string][] = [
  [/Query depth limit of \d+ exceeded/, "QUERY_TOO_DEEP"],
  [/Query Cost limit of \d+ exceeded/, "QUERY_TOO_COMPLEX"],
  [/Aliases limit of \d+ exceeded/, "TOO_MANY_ALIASES"],
  [/Directives limit of \d+ exceeded/, "TOO_MANY_DIRECTIVES"],
  [/Token limit of \d+ exceeded/, "QUERY_TOO_LONG"],
];

/** The code of a limit refusal (by graphql-armor's message), or null for any other error. */
export function queryLimitCode(message: string): string | null {
  for (const [pattern, code] of LIMIT_CODES) if (pattern.test(message)) return code;
  return null;
}
