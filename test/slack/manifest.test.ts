import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ACTION_IDS, SLASH_COMMAND, SUBCOMMANDS } from "../../src/slack/ids.js";
import { validateManifest } from "../helpers/slack-schemas.js";

const manifest = parse(readFileSync(new URL("../../manifest.yml", import.meta.url), "utf8"));
const root = new URL("../../src/slack/", import.meta.url).pathname;

/**
 * `posture doctor`'s read-only probes are not the app: they use read scopes when granted and turn
 * `missing_scope` into a warning naming it, so they are checked on their own below.
 */
const DOCTOR_PROBES = "doctor-probes.ts";

/** The listener sources (not the renderers): what the app really registers and calls. */
function listenerSource(): string {
  const files: string[] = [];
  const walk = (dir: string) => readdirSync(dir).forEach((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { if (name !== "blocks") walk(path); } else if (name.endsWith(".ts") && name !== DOCTOR_PROBES) files.push(path);
  });
  walk(root);
  return files.map((f) => readFileSync(f, "utf8")).join("\n");
}

describe("manifest.yml", () => {
  it("is a valid app manifest", () => {
    expect(validateManifest(manifest), JSON.stringify(validateManifest.errors)).toBe(true);
  });

  it("declares the one slash command the code registers, with every sub-command in its usage hint", () => {
    const commands = manifest.features.slash_commands as { command: string; usage_hint: string; url?: string }[];
    expect(commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    for (const sub of Object.values(SUBCOMMANDS)) expect(commands[0]!.usage_hint).toContain(SUBCOMMANDS[sub]);
    // Socket Mode: no request URL.
    expect(commands[0]!.url).toBeUndefined();
  });

  it("subscribes to exactly the events the listeners handle", () => {
    const handled = [...listenerSource().matchAll(/app\.event\("([a-z_]+)"/g)].map((m) => m[1]);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...new Set(handled)].sort());
  });

  it("asks for the bot scopes the code uses and no more", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(["chat:write", "channels:read", "groups:read", "commands", "files:write", "usergroups:read", "users:read"]);
    const source = listenerSource();
    // channels:read and groups:read are for the doctor's probes only (checked below): the app itself calls no
    // conversations.* or reactions.* method (no join-less posting either: no chat:write.public).
    expect(source).not.toMatch(/client\.(conversations|reactions)\./);
    // users:read is for the mute requester's time zone: users.info only.
    expect([...new Set([...source.matchAll(/client\.users\.(\w+)/g)].map((m) => m[1]))]).toEqual(["info"]);
    // files:write is for the digest chart only: files.uploadV2, nothing else of files.*.
    expect([...source.matchAll(/client\.files\.(\w+)/g)].map((m) => m[1])).toEqual(["uploadV2"]);
    // usergroups:read is for resolving the configured user groups (src/slack/user-groups.ts): usergroups.users.list only.
    expect([...new Set([...source.matchAll(/client\.usergroups\.([\w.]+)\(/g)].map((m) => m[1]))]).toEqual(["users.list"]);
  });

  it("lets the doctor's probes call read methods only (auth.test, conversations.info/list, usergroups.users.list)", () => {
    const probes = readFileSync(join(root, DOCTOR_PROBES), "utf8");
    const methods = [...probes.matchAll(/client\.([a-z]+(?:\.[a-zA-Z]+)+)\(/g)].map((m) => m[1]);
    expect([...new Set(methods)].sort()).toEqual(["auth.test", "conversations.info", "conversations.list", "usergroups.users.list"]);
  });

  it("runs in Socket Mode with interactivity and the Home tab on", () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it("has a listener for every button the finding messages carry", () => {
    const source = listenerSource();
    for (const id of ["remediationSteps", "fixIt", "mute", "findingMenu"] as const) expect(source).toContain(`ACTION_IDS.${id}`);
    expect(Object.keys(ACTION_IDS)).toContain("remediationSteps");
  });
});
