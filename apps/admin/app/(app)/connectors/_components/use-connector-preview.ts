"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { ApiError, api } from "@/lib/api";
import type { PreviewResult } from "@/lib/engine-types";
import { useDebounced } from "@/lib/use-debounced";
import { build, type Draft } from "./draft";

export type FieldResult = NonNullable<PreviewResult["fields"]>[number];

/**
 * The engine's preview of the draft (debounced; nothing is sent): the request, the filter's verdict and,
 * for a custom mapping, each field's own result. The preview panel, the visual mapper and the filter builder
 * call it with the same draft and so share one request.
 */
export function useConnectorPreview(draft: Draft) {
  const built = useMemo(() => build(draft), [draft]);
  const body = useMemo(() => {
    if (!built.input || built.errors.sample) return null;
    const { version: _version, ...connector } = built.input;
    // Broker destinations have no url; an HTTP one previews once it has one.
    if ("url" in connector.destination && !connector.destination.url) return null;
    // The preview renders while the form is still incomplete: a missing name must not hide it.
    return {
      connector: { ...connector, name: connector.name.trim() || "Untitled connector" },
      event: built.sample ?? undefined,
      fields: draft.mappingMode === "custom" ? true : undefined,
    };
  }, [built, draft.mappingMode]);
  const current = body ? JSON.stringify(body) : null;
  const key = useDebounced(current, 350);
  const preview = useQuery({
    queryKey: ["preview", key],
    queryFn: () => api.preview(JSON.parse(key!)),
    enabled: key !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 60_000,
  });
  const stale = key !== current || preview.isFetching;

  // Each field's result by its path; a mapping that fails as a whole carries them in the 422's details.
  const fields = useMemo(() => {
    const list = preview.isError ? fieldsOfError(preview.error) : (preview.data?.fields ?? []);
    return new Map(list.map((f) => [JSON.stringify(f.path), f]));
  }, [preview.isError, preview.error, preview.data]);

  return { built, body, preview, stale, fields };
}

function fieldsOfError(error: unknown): FieldResult[] {
  if (!(error instanceof ApiError)) return [];
  const fields = error.details?.fields;
  return Array.isArray(fields) ? (fields as FieldResult[]) : [];
}

/** The key of a field's result: its path in the body. */
export const fieldKey = (path: string[]) => JSON.stringify(path);
