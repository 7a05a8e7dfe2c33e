import { z } from "zod";

/** What the listeners read from Slack's payloads, validated at the edge (STYLE habit 8). Extra fields pass. */
export const slashCommandSchema = z.looseObject({
  text: z.string().max(4000).default(""),
  user_id: z.string().min(1),
  channel_id: z.string().optional(),
  response_url: z.url(),
  trigger_id: z.string().optional(),
});
export type SlashCommandPayload = z.infer<typeof slashCommandSchema>;

export const buttonActionSchema = z.looseObject({
  type: z.literal("block_actions"),
  trigger_id: z.string().min(1),
  user: z.looseObject({ id: z.string().min(1) }),
  channel: z.looseObject({ id: z.string() }).optional(),
  container: z.looseObject({ message_ts: z.string().optional(), channel_id: z.string().optional() }).optional(),
  actions: z.array(z.looseObject({
    action_id: z.string(),
    value: z.string().optional(),
    selected_option: z.looseObject({ value: z.string() }).optional(),
  })).min(1),
});
export type ButtonActionPayload = z.infer<typeof buttonActionSchema>;

export const appHomeOpenedSchema = z.looseObject({
  type: z.literal("app_home_opened"),
  user: z.string().min(1),
  tab: z.string().optional(),
});

/** A modal's view_submission: who submitted, the modal's private_metadata and its input `values` (block id -> action id -> value). */
export function viewSubmissionSchema<Values extends z.ZodRawShape>(values: Values) {
  return z.looseObject({
    user: z.looseObject({ id: z.string().min(1), name: z.string().optional() }),
    view: z.looseObject({
      private_metadata: z.string().optional(),
      state: z.looseObject({ values: z.looseObject(values) }),
    }),
  });
}
