import { webApi } from "@slack/bolt";
import type { Outcome, SlackChannel, SlackDoctorProbes } from "../app/doctor.js";
import type { SlackSettings } from "../config.js";
import { clientOptionsOf } from "./create-app.js";

type LiveSettings = Exclude<SlackSettings, { mode: "console" }>;

interface SlackChannelObject { id?: string; name?: string; is_member?: boolean }

/** Slack's `ok: false` answers become outcomes; `missing_scope` carries the scope Slack says is needed. */
function failed(error: unknown): Extract<Outcome<never>, { ok: false }> {
  const data = (error as { data?: { error?: string; needed?: string } }).data;
  if (data?.error) return { ok: false, code: data.error, message: data.error, ...(data.needed ? { neededScope: data.needed } : {}) };
  return { ok: false, code: (error as { code?: string }).code ?? "request_failed", message: (error as Error).message };
}

async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return failed(error);
  }
}

/**
 * Read-only Web API probes for `posture doctor`: auth.test (and its x-oauth-scopes header),
 * conversations.info / conversations.list for channels, usergroups.users.list for user groups.
 */
export function createSlackDoctorProbes(settings: LiveSettings): SlackDoctorProbes {
  const client = new webApi.WebClient(settings.botToken, { ...clientOptionsOf(settings), retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
  let byName: Promise<Map<string, SlackChannel>> | undefined;

  /** #names need the whole list once (conversations.list is Tier 2: one paginated pass, cached). */
  async function listChannels(): Promise<Map<string, SlackChannel>> {
    const channels = new Map<string, SlackChannel>();
    let cursor: string | undefined;
    do {
      const page = await client.conversations.list({ types: "public_channel,private_channel", exclude_archived: true, limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const c of (page.channels ?? []) as SlackChannelObject[]) {
        if (c.id && c.name) channels.set(c.name, { id: c.id, name: c.name, isMember: c.is_member === true });
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return channels;
  }

  return {
    authTest: () => attempt(async () => {
      const me = await client.auth.test();
      return {
        team: String(me.team ?? ""), teamId: String(me.team_id ?? ""), botUser: String(me.user ?? ""), botUserId: String(me.user_id ?? ""),
        scopes: me.response_metadata?.scopes ?? null,
      };
    }),

    async findChannel(ref) {
      if (ref.startsWith("#")) {
        byName ??= listChannels();
        const listed = await attempt(() => byName!);
        if (!listed.ok) byName = undefined;
        return listed.ok ? { ok: true, value: listed.value.get(ref.slice(1)) ?? null } : listed;
      }
      const info = await attempt(async () => (await client.conversations.info({ channel: ref })).channel as SlackChannelObject | undefined);
      if (!info.ok) return info.code === "channel_not_found" ? { ok: true, value: null } : info;
      const c = info.value;
      return { ok: true, value: { id: c?.id ?? ref, name: c?.name ?? ref, isMember: c?.is_member === true } };
    },

    userGroupSize: (id) => attempt(async () => ((await client.usergroups.users.list({ usergroup: id })).users ?? []).length),
  };
}
