import type { SchemaFormat, SchemaIssue } from "@ib/core/contracts/catalog";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import avro from "avsc";

/** At most this many issues are reported per payload (the first ones found). */
const MAX_ISSUES = 20;

/** A schema compiled once per event-type version: `check` answers the payload's issues ([] = valid). */
export interface CompiledSchema {
  format: SchemaFormat;
  check(payload: unknown): SchemaIssue[];
  /** Avro only: the type, to decode an `application/avro` body. */
  avroType?: avro.Type;
}

/** Why a schema cannot be used; the message names the problem (the route answers 400 with it). */
export class SchemaCompileError extends Error {}

/**
 * Compile a JSON Schema (draft 2020-12 through ajv, formats on) or an Avro schema (avsc). Each JSON Schema
 * gets its own ajv instance: two versions of a type may share an `$id`, and an old version's compiled code
 * must go when the version does (the cache drops the whole instance). Remote `$ref`s are never fetched.
 */
export function compileSchema(format: SchemaFormat, schema: unknown): CompiledSchema {
  return format === "avro" ? compileAvro(schema) : compileJsonSchema(schema);
}

function compileJsonSchema(schema: unknown): CompiledSchema {
  if (typeof schema !== "boolean" && (schema === null || typeof schema !== "object" || Array.isArray(schema))) {
    throw new SchemaCompileError("A JSON Schema must be an object (or true/false)");
  }
  // strict: false — real schemas carry `example`, `x-…` and other annotations ajv's strict mode refuses;
  // the meta-schema check below still catches a wrong keyword value (`"type": "strng"`).
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  let validate: ReturnType<Ajv2020["compile"]>;
  try {
    validate = ajv.compile(schema as object);
  } catch (error) {
    throw new SchemaCompileError(`Invalid JSON Schema: ${(error as Error).message}`);
  }
  return {
    format: "json-schema",
    check(payload) {
      if (validate(payload)) return [];
      return (validate.errors ?? []).slice(0, MAX_ISSUES).map(ajvIssue);
    },
  };
}

function ajvIssue(error: ErrorObject): SchemaIssue {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required" && typeof params.missingProperty === "string") {
    return { path: [...segments, params.missingProperty].join("."), message: "is required" };
  }
  if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
    return { path: [...segments, params.additionalProperty].join("."), message: "is not allowed by the schema" };
  }
  return { path: segments.join("."), message: error.message ?? `fails ${error.keyword}` };
}

function compileAvro(schema: unknown): CompiledSchema {
  let type: avro.Type;
  try {
    type = avro.Type.forSchema(schema as avro.Schema);
  } catch (error) {
    throw new SchemaCompileError(`Invalid Avro schema: ${(error as Error).message}`);
  }
  if (type.typeName !== "record") {
    throw new SchemaCompileError(`An event's Avro schema must be a record (got ${type.typeName})`);
  }
  return {
    format: "avro",
    avroType: type,
    check(payload) {
      const issues: SchemaIssue[] = [];
      type.isValid(payload, {
        errorHook(path, value, expected) {
          if (issues.length >= MAX_ISSUES) return;
          const message =
            value === undefined
              ? "is required"
              : `must be ${describeAvroType(expected)} (got ${JSON.stringify(value)})`;
          issues.push({ path: path.join("."), message: truncate(message) });
        },
      });
      return issues;
    },
  };
}

function describeAvroType(type: avro.Type): string {
  const name = type.typeName;
  if (name === "record" || name === "enum" || name === "fixed") return `${name} ${type.name ?? ""}`.trim();
  return name;
}

function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * An Avro datum as JSON: records become plain objects, `bytes`/`fixed` base64 text, and a `long` beyond
 * 2^53 (which avsc cannot give as a number anyway) is refused by avsc when decoding.
 */
export function avroValueToJson(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString("base64");
  if (Array.isArray(value)) return value.map(avroValueToJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = avroValueToJson(v);
    return out;
  }
  return value;
}
