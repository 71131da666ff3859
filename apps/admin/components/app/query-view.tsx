"use client";

import type { ReactNode } from "react";
import { Button, ErrorState, Loading } from "@/components/ui";

/** What QueryView reads of a TanStack query (a plain or an infinite one). */
interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => unknown;
}

/**
 * The states every list view goes through, in one place: a spinner until the first answer, the error with
 * a retry, the view's empty state (when `isEmpty`, by default an empty array), then its content, given the data.
 */
export function QueryView<T>({
  query,
  loading,
  empty,
  isEmpty = (data) => Array.isArray(data) && data.length === 0,
  children,
}: {
  query: QueryLike<T>;
  /** What is loading, e.g. "Loading connectors". */
  loading: string;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loading} />;
  if (query.isError || query.data === undefined) {
    return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  }
  if (empty !== undefined && isEmpty(query.data)) return empty;
  return children(query.data);
}

/** "Load older …" under a paged list, while the engine has a next page. */
export function LoadMore({
  query,
  label,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  label: string;
}) {
  if (!query.hasNextPage) return null;
  return (
    <div className="mt-4 flex justify-center">
      <Button onClick={() => query.fetchNextPage()} loading={query.isFetchingNextPage}>
        {label}
      </Button>
    </div>
  );
}
