import type { ServiceContext } from "../../context.ts";
import { Invalid } from "../../lib/domain-errors.ts";
import { catalogIndex, compiledSchemaOf } from "./check-event-schema.ts";
import { avroValueToJson } from "./compile-schema.ts";

/** The media type of an Avro-encoded message body (broker sources). */
export const AVRO_MEDIA_TYPE = "application/avro";

/**
 * Decode an `application/avro` body (one Avro binary datum, no container header) with the Avro schema the
 * catalog holds for `name`, into the JSON payload the event is stored with (`bytes` as base64 text). For
 * broker sources: a message whose content type is `application/avro` goes through this, then through the
 * same ingest (and schema check) as any event. `Invalid` when the name has no Avro schema or the bytes
 * are not a datum of it (trailing bytes included).
 */
export async function decodeAvroPayload({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { name: string; body: Uint8Array };
}): Promise<unknown> {
  const entry = (await catalogIndex(ctx)).get(input.name);
  if (entry?.schemaFormat !== "avro") {
    throw new Invalid(`An ${AVRO_MEDIA_TYPE} body needs an Avro schema for ${input.name} in the event catalog`);
  }
  const compiled = await compiledSchemaOf(ctx, entry);
  if (!compiled?.avroType) throw new Invalid(`The Avro schema of ${input.name} is not available`);
  const buffer = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
  let decoded: { value: unknown; offset: number };
  try {
    decoded = compiled.avroType.decode(buffer, 0);
  } catch (error) {
    throw new Invalid(`The body is not an Avro datum of ${input.name}: ${(error as Error).message}`);
  }
  if (decoded.offset !== buffer.length) {
    throw new Invalid(
      `The body is not one Avro datum of ${input.name} (version ${entry.version}): ${decoded.offset < 0 ? "it is truncated" : `${buffer.length - decoded.offset} bytes left over`}`,
    );
  }
  return avroValueToJson(decoded.value);
}
