"use client";

import Editor, { loader, type Monaco } from "@monaco-editor/react";
import { useEffect, useRef } from "react";
import { Spinner } from "@/components/ui";
import { completionContext, describePathAt, eventPaths } from "@/lib/paths";

// Monaco is served by the admin itself (copied into public/monaco at build): no CDN, works offline.
loader.config({ paths: { vs: "/monaco/vs" } });

interface Assist {
  /** The sample event whose paths are offered after `$.` and `<<event.`. */
  sampleEvent: () => unknown;
  /** Secret names offered after `<<secret.`. */
  secrets: () => string[];
}

// Monaco's JSON schemas and completion providers are global; each editor registers its own by model path.
const schemas = new Map<string, object>();
const assists = new Map<string, Assist>();
let providerInstalled = false;

function jsonDefaults(monaco: Monaco) {
  const m = monaco as unknown as {
    json?: { jsonDefaults?: { setDiagnosticsOptions(o: unknown): void } };
    languages: { json?: { jsonDefaults?: { setDiagnosticsOptions(o: unknown): void } } };
  };
  return m.json?.jsonDefaults ?? m.languages.json?.jsonDefaults;
}

function applySchemas(monaco: Monaco) {
  jsonDefaults(monaco)?.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    // A value the connector schema refuses is an error (red), not Monaco's default warning.
    schemaValidation: "error",
    schemaRequest: "ignore",
    schemas: [...schemas.entries()].map(([path, schema]) => ({
      uri: `https://integration-builder.local/schemas/${encodeURIComponent(path)}.json`,
      fileMatch: [path],
      schema,
    })),
  });
}

function installCompletion(monaco: Monaco) {
  if (providerInstalled) return;
  providerInstalled = true;
  // Hovering a path shows what it takes from the sample event.
  monaco.languages.registerHoverProvider("json", {
    provideHover(
      model: { uri: { path: string; toString(): string }; getLineContent(line: number): string },
      position: { lineNumber: number; column: number },
    ) {
      const assist = assists.get(model.uri.path.replace(/^\//, "")) ?? assists.get(model.uri.toString());
      if (!assist) return null;
      const text = describePathAt(model.getLineContent(position.lineNumber), position.column, assist.sampleEvent());
      return text ? { contents: [{ value: text }] } : null;
    },
  });
  monaco.languages.registerCompletionItemProvider("json", {
    triggerCharacters: [".", "$", "[", "<"],
    provideCompletionItems(
      model: { uri: { path: string; toString(): string }; getLineContent(line: number): string },
      position: { lineNumber: number; column: number },
    ) {
      const assist = assists.get(model.uri.path.replace(/^\//, "")) ?? assists.get(model.uri.toString());
      if (!assist) return { suggestions: [] };
      const line = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const ctx = completionContext(line);
      if (!ctx) return { suggestions: [] };
      const start = position.column - ctx.typed.length;
      const range = new monaco.Range(position.lineNumber, start, position.lineNumber, position.column);
      const Kind = monaco.languages.CompletionItemKind;
      if (ctx.kind === "secret") {
        return {
          suggestions: assist.secrets().map((name) => ({
            label: name,
            kind: Kind.Variable,
            insertText: name,
            detail: "connector secret (masked in preview)",
            range,
          })),
        };
      }
      const paths = eventPaths(assist.sampleEvent());
      return {
        suggestions: paths.map((p, i) => {
          const label = ctx.kind === "jsonPath" ? p.jsonPath : p.dotPath;
          return {
            label,
            kind: p.kind === "object" || p.kind === "array" ? Kind.Module : Kind.Field,
            insertText: label,
            detail: `${p.kind} · ${p.preview}`,
            sortText: String(i).padStart(4, "0"),
            filterText: label,
            range,
          };
        }),
      };
    },
  });
}

export function CodeEditor({
  path,
  value,
  onChange,
  height = 260,
  readOnly = false,
  schema,
  assist,
  ariaLabel,
  language = "json",
}: {
  /** A unique model path, e.g. `connector-mapping.json`. */
  path: string;
  value: string;
  onChange?: (value: string) => void;
  height?: number | string;
  readOnly?: boolean;
  schema?: object;
  assist?: Assist;
  ariaLabel: string;
  language?: string;
}) {
  const monacoRef = useRef<Monaco | null>(null);
  const assistRef = useRef(assist);
  assistRef.current = assist;

  useEffect(() => {
    if (!schema) return;
    schemas.set(path, schema);
    if (monacoRef.current) applySchemas(monacoRef.current);
    return () => {
      schemas.delete(path);
    };
  }, [path, schema]);

  useEffect(() => {
    if (!assist) return;
    assists.set(path, {
      sampleEvent: () => assistRef.current?.sampleEvent(),
      secrets: () => assistRef.current?.secrets() ?? [],
    });
    return () => {
      assists.delete(path);
    };
  }, [path, assist]);

  return (
    <div
      className="overflow-hidden rounded-md bg-white ring-1 ring-zinc-300 focus-within:ring-2 focus-within:ring-accent-500"
      data-editor={path}
    >
      <Editor
        height={height}
        path={path}
        language={language}
        value={value}
        onChange={(v) => onChange?.(v ?? "")}
        beforeMount={(monaco) => {
          monacoRef.current = monaco;
          installCompletion(monaco);
          applySchemas(monaco);
        }}
        loading={
          <div className="flex items-center gap-2 text-sm text-zinc-500">
            <Spinner /> Loading editor…
          </div>
        }
        options={{
          readOnly,
          ariaLabel,
          minimap: { enabled: false },
          fontSize: 13,
          lineHeight: 20,
          fontFamily: "'JetBrains Mono', ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace",
          scrollBeyondLastLine: false,
          tabSize: 2,
          lineNumbersMinChars: 3,
          folding: true,
          renderLineHighlight: readOnly ? "none" : "line",
          automaticLayout: true,
          wordWrap: "on",
          fixedOverflowWidgets: true,
          quickSuggestions: { strings: true, other: true, comments: false },
          suggestOnTriggerCharacters: true,
          tabFocusMode: false,
          padding: { top: 8, bottom: 8 },
          scrollbar: { alwaysConsumeMouseWheel: false },
        }}
      />
    </div>
  );
}
