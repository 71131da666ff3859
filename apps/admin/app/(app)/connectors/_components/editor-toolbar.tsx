"use client";

import { Button } from "@/components/ui";

/** The sticky bar above the editor: whether there is anything to save, the JSON switch, delete and save. */
export function EditorToolbar({
  isNew,
  readOnly,
  dirty,
  jsonMode,
  saving,
  onToggleJson,
  onDelete,
}: {
  isNew: boolean;
  readOnly: boolean;
  dirty: boolean;
  jsonMode: boolean;
  saving: boolean;
  onToggleJson: () => void;
  onDelete: () => void;
}) {
  return (
    <div className="sticky top-0 z-20 -mx-4 mb-4 flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 bg-canvas/95 px-4 py-2.5 backdrop-blur sm:-mx-6 sm:px-6 lg:-mx-8 lg:px-8">
      <div className="flex items-center gap-2 text-sm">
        {readOnly ? (
          <span className="text-zinc-500">Read-only</span>
        ) : dirty ? (
          <span className="flex items-center gap-1.5 text-amber-700">
            <span className="size-1.5 rounded-full bg-amber-500" aria-hidden />
            Unsaved changes
          </span>
        ) : (
          <span className="text-zinc-500">{isNew ? "Not saved yet" : "All changes saved"}</span>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="ghost" onClick={onToggleJson} aria-pressed={jsonMode}>
          {jsonMode ? "Back to form" : readOnly ? "View as JSON" : "Edit as JSON"}
        </Button>
        {!isNew && !readOnly ? (
          <Button variant="ghost" className="text-red-600 hover:bg-red-50" onClick={onDelete}>
            Delete
          </Button>
        ) : null}
        {!readOnly ? (
          <Button type="submit" variant="primary" loading={saving} disabled={!dirty && !isNew}>
            {isNew ? "Create connector" : "Save changes"}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
