/**
 * Shared pieces of the demo account generator. Every date is relative to DEMO_COLLECTED_AT, and
 * `npm run demo` evaluates with `--now` half an hour later, so key ages and "unused for 45 days"
 * verdicts stay the same whenever the demo runs.
 */
export const DEMO_COLLECTED_AT = "2026-11-02T07:30:00.000Z";
export const DEMO_NOW = "2026-11-02T08:00:00.000Z";
export const DEMO_SEED = 20261102;

export const PROD = { id: "111122223333", name: "acme-prod", regions: ["us-east-1", "eu-west-1"] } as const;
export const STAGING = { id: "444455556666", name: "acme-staging", regions: ["us-east-1"] } as const;
export const VENDOR_ACCOUNT = "999988887777";
export type DemoAccount = typeof PROD | typeof STAGING;

export const TEAMS = ["payments", "data", "platform", "web"] as const;
export type Team = (typeof TEAMS)[number];

const DAY_MS = 86_400_000;

/** An ISO time `days` (fractional allowed) before the demo's collection time. */
export function daysAgo(days: number): string {
  return new Date(Date.parse(DEMO_COLLECTED_AT) - Math.round(days * DAY_MS)).toISOString();
}

/** Seeded PRNG (mulberry32): the same seed always yields the same demo. */
export interface Random {
  next(): number;
  chance(probability: number): boolean;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (probability) => next() < probability,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

export function teamTags(team: Team | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return team === undefined ? { ...extra } : { team, ...extra };
}
