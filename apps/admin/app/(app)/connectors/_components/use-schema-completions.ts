"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api } from "@/lib/api";
import { withSchemaFields } from "@/lib/schema-sample";

/**
 * The sample event the mapping editor completes paths from: the connector's sample, with the fields its
 * event type's schema has and the sample lacks added (exact source event names in the catalog only).
 */
export function useSchemaCompletions(sourceEvent: string, sample: unknown): unknown {
  const name = sourceEvent.trim();
  const eventType = useQuery({
    queryKey: ["event-type", name],
    queryFn: () => api.catalog.get(name),
    enabled: name !== "" && !name.includes("*"),
    retry: false,
    staleTime: 30_000,
  });
  return useMemo(() => withSchemaFields(sample, eventType.data), [sample, eventType.data]);
}
