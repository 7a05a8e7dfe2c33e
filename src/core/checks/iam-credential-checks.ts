import { z } from "zod";
import { defineCheck } from "./check.js";
import { ageInDays, fail, pass, resolvePath, undecided, type Evidence } from "../condition.js";
import type { CredentialReportRow, IamUser } from "../snapshot.js";

/** The date a credential counts from, the field it came from, and what that means. */
interface Reference { path: string; date: string | null; what: string }

/**
 * CIS 1.12 / 2.11: a password counts from its last use; never used, from its last change or the
 * user's creation. An access key counts from its last use; never used, from its rotation (creation).
 */
function passwordReference(row: CredentialReportRow, createdAt: string): Reference {
  if (row.passwordLastUsed) return { path: "credentials.passwordLastUsed", date: row.passwordLastUsed, what: "console password last used" };
  if (row.passwordLastChanged) return { path: "credentials.passwordLastChanged", date: row.passwordLastChanged, what: "console password never used, set" };
  return { path: "credentials.userCreationTime", date: row.userCreationTime ?? createdAt, what: "console password never used, user created" };
}

function keyReference(key: CredentialReportRow["accessKeys"][number], index: number, createdAt: string): Reference {
  const at = `credentials.accessKeys[${index}]`;
  if (key.lastUsedDate) return { path: `${at}.lastUsedDate`, date: key.lastUsedDate, what: `access key ${key.slot} last used` };
  return { path: `${at}.lastRotated`, date: key.lastRotated ?? createdAt, what: `access key ${key.slot} never used, created` };
}

/**
 * CIS "credentials unused for N days are disabled": a console password or an active access key
 * that was last used (or, never used, was created/rotated) more than `days` ago fails.
 */
export const iamUserCredentialsUnused = defineCheck({
  name: "iamUserCredentialsUnused",
  description: "User has no console password or active access key unused for the threshold",
  resourceTypes: ["aws:iam:user"],
  reads: ["credentials"],
  params: z.strictObject({ days: z.number().int().positive().default(45) }),
  evaluate(resource, { days }, ctx) {
    const resolved = resolvePath(resource, "credentials", true);
    if (!resolved.known) return undecided(resolved.reason);
    const row = resolved.value as CredentialReportRow;
    const user = resource as IamUser;
    const references: Reference[] = [];
    if (row.passwordEnabled) references.push(passwordReference(row, user.createdAt));
    row.accessKeys.forEach((key, index) => {
      if (key.active) references.push(keyReference(key, index, user.createdAt));
    });
    const expected = `used within ${days} days`;
    const stale: Evidence[] = references
      .filter((ref) => (ageInDays(ref.date, ctx.now) ?? Infinity) > days)
      .map((ref) => ({ path: ref.path, expected, observed: `${ref.what} ${ref.date ?? "never"}` }));
    if (stale.length > 0) return fail(stale);
    return pass(references.map((ref) => ({ path: ref.path, expected, observed: ref.date })));
  },
});
