import { asList, statementsOf, type PolicyDocument, type Statement } from "../policy-document.js";
import { parsePrincipals, type PrincipalEntry } from "./principal.js";

/** One condition test: operator and key lower-cased (IAM compares them case-insensitively). */
export interface ConditionEntry {
  /** Full operator, lower-cased, e.g. `forallvalues:stringequalsifexists`. */
  operator: string;
  /** The operator without set prefix or `IfExists`, e.g. `stringequals`. */
  base: string;
  set: "single" | "forallvalues" | "foranyvalue";
  ifExists: boolean;
  key: string;
  values: string[];
  /** As written in the policy, for messages. */
  label: string;
}

export interface NormalizedStatement {
  index: number;
  sid?: string;
  /** Evidence path of the statement, e.g. `policy.Statement[2]`. */
  path: string;
  effect: "Allow" | "Deny";
  principals?: PrincipalEntry[];
  notPrincipals?: PrincipalEntry[];
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  conditions: ConditionEntry[];
  raw: Statement;
}

/** Gives the analysers one shape: lists everywhere, parsed principals, lower-cased conditions. */
export function normalizeStatements(document: PolicyDocument, basePath = "Statement"): NormalizedStatement[] {
  return statementsOf(document).map((raw, index) => normalizeStatement(raw, index, basePath));
}

function normalizeStatement(raw: Statement, index: number, basePath: string): NormalizedStatement {
  const statement: NormalizedStatement = {
    index,
    path: `${basePath}.Statement[${index}]`,
    effect: raw.Effect,
    conditions: parseConditions(raw.Condition),
    raw,
  };
  if (raw.Sid) statement.sid = raw.Sid;
  if (raw.Principal !== undefined) statement.principals = parsePrincipals(raw.Principal);
  if (raw.NotPrincipal !== undefined) statement.notPrincipals = parsePrincipals(raw.NotPrincipal);
  if (raw.Action !== undefined) statement.actions = asList(raw.Action);
  if (raw.NotAction !== undefined) statement.notActions = asList(raw.NotAction);
  if (raw.Resource !== undefined) statement.resources = asList(raw.Resource);
  if (raw.NotResource !== undefined) statement.notResources = asList(raw.NotResource);
  return statement;
}

function parseConditions(block: Statement["Condition"]): ConditionEntry[] {
  const entries: ConditionEntry[] = [];
  for (const [operatorName, tests] of Object.entries(block ?? {})) {
    const operator = operatorName.toLowerCase();
    const [prefix, rest] = operator.includes(":") ? operator.split(":", 2) as [string, string] : ["", operator];
    const set = prefix === "forallvalues" || prefix === "foranyvalue" ? prefix : "single";
    const ifExists = rest.endsWith("ifexists");
    const base = ifExists ? rest.slice(0, -"ifexists".length) : rest;
    for (const [key, value] of Object.entries(tests)) {
      const values = (Array.isArray(value) ? value : [value]).map(String);
      entries.push({ operator, base, set, ifExists, key: key.toLowerCase(), values, label: `${operatorName} ${key} ${values.join(", ")}` });
    }
  }
  return entries;
}

/** A human label: `Statement[2] (Sid "PublicRead")`. */
export function describeStatement(statement: NormalizedStatement): string {
  const position = `Statement[${statement.index}]`;
  return statement.sid ? `${position} (Sid "${statement.sid}")` : position;
}

/** A condition as a qualifier of a grant: "only from aws:SourceIp 203.0.113.0/24". */
export function describeCondition(entry: ConditionEntry): string {
  if (entry.key === "aws:sourceip" && entry.base === "ipaddress") return `only from aws:SourceIp ${entry.values.join(", ")}`;
  if (entry.key === "aws:sourceip" && entry.base === "notipaddress") return `only not from aws:SourceIp ${entry.values.join(", ")}`;
  return `only with ${entry.label}`;
}
