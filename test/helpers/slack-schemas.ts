import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";

// Slack's public JSON Schemas live beside the repository in ../shared/schemas (see its README).
const addFormats = ajvFormats.default;
const schema = (name: string) => JSON.parse(readFileSync(new URL(`../../../shared/schemas/${name}`, import.meta.url), "utf8"));

const blockKit = schema("slack-block-kit.schema.json");
const blockKitAjv = new Ajv2020({ strict: false, allErrors: true });
addFormats(blockKitAjv);
blockKitAjv.addSchema(blockKit);
export const validateBlocks = blockKitAjv.getSchema(blockKit.$id)!;
export const validateHomeView = blockKitAjv.getSchema(`${blockKit.$id}#/$defs/home_view`)!;
export const validateModalView = blockKitAjv.getSchema(`${blockKit.$id}#/$defs/modal_view`)!;

const manifestAjv = new Ajv({ strict: false, allErrors: true });
addFormats(manifestAjv);
export const validateManifest = manifestAjv.compile(schema("slack-app-manifest.schema.json"));
