import { z } from "zod";

/**
 * IAM and resource-policy documents as AWS returns them: single values or arrays, `Principal` as "*"
 * or a map. Kept loose here (AWS accepts many shapes); `normalizeStatements` gives the analysers one shape.
 */
const stringOrList = z.union([z.string(), z.array(z.string())]);
const principal = z.union([z.literal("*"), z.record(z.string(), stringOrList)]);
const conditionValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))]);

export const statementSchema = z.looseObject({
  Sid: z.string().optional(),
  Effect: z.enum(["Allow", "Deny"]),
  Principal: principal.optional(),
  NotPrincipal: principal.optional(),
  Action: stringOrList.optional(),
  NotAction: stringOrList.optional(),
  Resource: stringOrList.optional(),
  NotResource: stringOrList.optional(),
  Condition: z.record(z.string(), z.record(z.string(), conditionValue)).optional(),
});

export const policyDocumentSchema = z.looseObject({
  Version: z.string().optional(),
  Id: z.string().optional(),
  Statement: z.union([statementSchema, z.array(statementSchema)]),
});

export type Statement = z.infer<typeof statementSchema>;
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type Principal = z.infer<typeof principal>;
export type ConditionBlock = NonNullable<Statement["Condition"]>;

export function statementsOf(document: PolicyDocument): Statement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
