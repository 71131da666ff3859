"use client";

import { Button } from "@/components/ui";
import type { Issue } from "./use-connector-draft";

/** A save refused with 409: someone saved a newer version. Reload discards the edits; overwrite keeps them. */
export function ConflictBanner({
  version,
  onReload,
  onOverwrite,
}: {
  version: number | undefined;
  onReload: () => void;
  onOverwrite: () => void;
}) {
  return (
    <div role="alert" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-semibold">Someone else saved this connector while you were editing</p>
      <p className="mt-0.5 text-amber-800">
        Your copy is based on version {version}; it has changed since. Reload to see the latest version (your edits are
        discarded), or overwrite it with your edits.
      </p>
      <div className="mt-3 flex gap-2">
        <Button size="sm" variant="primary" onClick={onReload}>
          Reload latest
        </Button>
        <Button size="sm" onClick={onOverwrite}>
          Overwrite with mine
        </Button>
      </div>
    </div>
  );
}

/** The engine's validation message and the fields it refused. */
export function SaveIssues({ message, issues }: { message: string; issues: Issue[] }) {
  return (
    <div role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      <p className="font-medium">{message}</p>
      <ul className="mt-1 list-disc pl-5 text-red-700">
        {issues.map((i) => (
          <li key={`${i.path}:${i.message}`}>
            <code className="font-mono text-xs">{i.path || "(connector)"}</code> {i.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
