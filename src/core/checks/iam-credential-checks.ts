import { z } from "zod";
import { defineCheck } from "./check.js";
import { undecided } from "../condition.js";

const TODO = () => undecided("not implemented yet");

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
  evaluate: TODO,
});
