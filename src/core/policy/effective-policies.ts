import { isUnknown } from "../unknown.js";
import type { PolicyDocument } from "../policy-document.js";
import type { IamGroup, IamPolicy, IamRole, IamUser, Resource } from "../snapshot.js";
import type { PolicySource } from "./admin.js";

type Principal = IamUser | IamRole | IamGroup;

export interface GatheredPolicies {
  sources: PolicySource[];
  /** Policies that apply but could not be read, each with the reason. */
  unreadable: string[];
}

/**
 * AWS managed policies whose documents are fixed and public, so a verdict does not depend on the
 * snapshot holding them (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html).
 */
const KNOWN_AWS_POLICIES: Record<string, PolicyDocument> = {
  "arn:aws:iam::aws:policy/AdministratorAccess": { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

/**
 * Every identity policy that applies to a principal: its inline policies, its attached managed
 * policies (looked up by ARN in the snapshot) and, for a user, the inline and managed policies of each
 * of its groups. Labels say where a policy comes from ("managed policy AdministratorAccess via group admins").
 */
export function gatherPolicySources(principal: Principal, lookup: (arn: string) => Resource | undefined): GatheredPolicies {
  const gathered: GatheredPolicies = { sources: [], unreadable: [] };
  addOwnPolicies(principal, "", "", lookup, gathered);
  if (principal.type !== "aws:iam:user") return gathered;
  principal.groups.forEach((ref, index) => {
    const group = lookup(ref.arn);
    if (group?.type !== "aws:iam:group") {
      gathered.unreadable.push(`group ${ref.name} (${ref.arn}): not in the snapshot`);
      return;
    }
    addOwnPolicies(group, ` via group ${ref.name}`, `groups[${index}].`, lookup, gathered);
  });
  return gathered;
}

function addOwnPolicies(principal: Principal, via: string, prefix: string, lookup: (arn: string) => Resource | undefined, into: GatheredPolicies): void {
  principal.inlinePolicies.forEach((policy, index) => {
    into.sources.push({ label: `inline policy ${policy.name}${via}`, document: policy.document, basePath: `${prefix}inlinePolicies[${index}].document` });
  });
  principal.attachedPolicies.forEach((ref, index) => {
    const label = `managed policy ${ref.name}${via}`;
    const document = readManagedDocument(ref.arn, lookup);
    if (typeof document === "string") into.unreadable.push(`${label} (${ref.arn}): ${document}`);
    else into.sources.push({ label, document, basePath: `${prefix}attachedPolicies[${index}].document` });
  });
}

/** The managed policy's default-version document, or why it cannot be read. */
export function readManagedDocument(arn: string, lookup: (arn: string) => Resource | undefined): PolicyDocument | string {
  const policy = lookup(arn);
  if (policy?.type === "aws:iam:policy") {
    const { document } = policy as IamPolicy;
    if (!isUnknown(document)) return document;
    return KNOWN_AWS_POLICIES[arn] ?? document.$unknown;
  }
  return KNOWN_AWS_POLICIES[arn] ?? "not in the snapshot";
}
