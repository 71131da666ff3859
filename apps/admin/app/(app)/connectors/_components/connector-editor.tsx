"use client";

import { type FormEvent, useState } from "react";
import { CodeEditor } from "@/components/app/code-editor";
import { useCan } from "@/components/app/session";
import { Card } from "@/components/ui";
import type { Connector } from "@/lib/engine-types";
import { BasicsSection } from "./basics-section";
import { DeleteConnectorDialog } from "./delete-connector-dialog";
import { DeliverySection } from "./delivery-section";
import { DestinationSection } from "./destination-section";
import { ConflictBanner, SaveIssues } from "./editor-banners";
import { EditorToolbar } from "./editor-toolbar";
import { ExpectSection } from "./expect-section";
import { FilterBuilder } from "./mapper/filter-builder";
import { MappingSection } from "./mapping-section";
import { PreviewPanel } from "./preview-panel";
import { SectionTitle } from "./section-title";
import { TestSendPanel } from "./test-send-panel";
import { useConnectorDraft } from "./use-connector-draft";
import { useSchemaCompletions } from "./use-schema-completions";

export function ConnectorEditor({ initial, schema }: { initial: Connector | null; schema: object }) {
  const readOnly = !useCan("connectors.write");
  const editor = useConnectorDraft(initial);
  const { draft, set, built, json, save, fieldIssues, issueFor, secretNames } = editor;
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Paths offered in the mapping: the sample's, and the event type's schema fields it lacks.
  const completionSample = useSchemaCompletions(draft.sourceEvent, built.sample);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!readOnly) save.mutate();
  };

  return (
    <form onSubmit={onSubmit} aria-label="Connector" noValidate>
      {editor.conflict ? (
        <ConflictBanner version={draft.version} onReload={editor.reloadLatest} onOverwrite={editor.overwrite} />
      ) : null}

      <EditorToolbar
        isNew={!initial}
        readOnly={readOnly}
        dirty={editor.dirty}
        jsonMode={json.mode}
        saving={save.isPending}
        onToggleJson={json.toggle}
        onDelete={() => setConfirmDelete(true)}
      />

      {save.isError && !editor.conflict && fieldIssues.length > 0 ? (
        <SaveIssues message={save.error.message} issues={fieldIssues} />
      ) : null}

      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div className="min-w-0 space-y-5">
          {json.mode ? (
            <Card className="p-4">
              <SectionTitle
                title="Connector JSON"
                hint="The whole connector, validated against the same schema as the engine (hover a squiggle for details)."
              />
              <CodeEditor
                path="connector-whole.json"
                value={json.text}
                onChange={json.edit}
                schema={schema}
                readOnly={readOnly}
                height={620}
                ariaLabel="Connector as JSON"
                assist={{ sampleEvent: () => completionSample, secrets: () => secretNames }}
              />
              {json.error ? <p className="mt-2 text-sm text-red-600">{json.error}</p> : null}
            </Card>
          ) : (
            <fieldset disabled={readOnly} className="min-w-0 space-y-5">
              <BasicsSection draft={draft} set={set} issueFor={issueFor} readOnly={readOnly} />
              <DestinationSection draft={draft} set={set} issueFor={issueFor} readOnly={readOnly} />
              <MappingSection
                draft={draft}
                onChange={editor.setDraft}
                readOnly={readOnly}
                error={built.errors.mapping ? `Not valid JSON yet: ${built.errors.mapping}` : issueFor("mapping")}
                sampleEvent={() => completionSample}
                secretNames={secretNames}
              />
              <FilterBuilder draft={draft} onChange={editor.setDraft} readOnly={readOnly} error={issueFor("filter")} />
              <DeliverySection draft={draft} set={set} issueFor={issueFor} />
              <ExpectSection
                draft={draft}
                onChange={editor.setDraft}
                issueFor={issueFor}
                sampleEvent={() => built.sample}
                readOnly={readOnly}
              />
            </fieldset>
          )}
        </div>
        <div className="min-w-0">
          <div className="xl:sticky xl:top-16">
            <div className="space-y-4">
              <PreviewPanel
                draft={editor.previewDraft}
                onSampleChange={(text) => set("sampleText", text)}
                readOnly={readOnly}
                secretNames={secretNames}
              />
              {initial && !readOnly ? (
                <TestSendPanel
                  connectorId={initial.id}
                  event={built.sample}
                  dirty={editor.dirty}
                  enabled={initial.enabled}
                  url={"url" in initial.destination ? initial.destination.url : ""}
                />
              ) : null}
            </div>
          </div>
        </div>
      </div>

      <DeleteConnectorDialog connector={initial} open={confirmDelete} onClose={() => setConfirmDelete(false)} />
    </form>
  );
}
