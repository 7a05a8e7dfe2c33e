export { normalizeStatements, describeStatement, describeCondition, type NormalizedStatement, type ConditionEntry } from "./statement.js";
export { matchesPattern, coversPattern, patternsOverlap, statementMatchesAction, statementCoversActions, statementGrantsAnyOf } from "./action.js";
export { parsePrincipals, arnAccount, type PrincipalEntry, type PrincipalKind } from "./principal.js";
export { analyzeConditions, isFixedValue, type Restriction, type RestrictionKind } from "./restriction.js";
export { appliesToAnyResource, appliesToBucket, ANY_RESOURCE_SAMPLES, ANY_ROLE_SAMPLES } from "./resource.js";
export { findPublicStatements, analyzePublicStatements, appliesToEveryone, S3_WRITE_ACTIONS, type PublicStatement, type PublicAnalysis } from "./public.js";
export { findCrossAccountStatements, type CrossAccountStatement, type CrossAccountOptions } from "./cross-account.js";
export {
  analyzeAdminAccess, allowsFullServiceAccess, allowsAssumeRoleOnAnyRole, type PolicySource, type AccessAnalysis, type StatementRef,
} from "./admin.js";
export { deniesInsecureTransport, type TransportDeny } from "./transport.js";
export { findOpenTrustStatements, findTrustWithoutExternalId, ASSUME_ACTIONS, type OpenTrustStatement } from "./trust.js";
export { gatherPolicySources, readManagedDocument, type GatheredPolicies } from "./effective-policies.js";
