"use client";

import { useRef, useState } from "react";
import type { Draft } from "../draft";
import { type FieldRow, mappingFromRows, rowsFromMapping } from "./mapping-rows";

export type MapperMode = "visual" | "json";

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

type Read = { rows: FieldRow[] } | { reason: string };

function read(text: string): Read {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { reason: `The JSON does not parse yet (${e instanceof Error ? e.message : String(e)}); fix it first.` };
  }
  return rowsFromMapping(value);
}

/**
 * The mapping's two editors over one `draft.mappingText`: Visual (rows) and JSON (the text). Rows are the
 * visual editor's own state — a half-filled row is kept while switching to JSON and back — and every change
 * to them writes the text; a text changed elsewhere (JSON edits, a reload, saving) is read again into rows.
 * A mapping the form cannot show opens in JSON, with `reason` saying why.
 */
export function useVisualMapping(draft: Draft, onChange: (update: (d: Draft) => Draft) => void) {
  const [state, setState] = useState(() => {
    const first = read(draft.mappingText || "{}");
    return {
      mode: ("rows" in first ? "visual" : "json") as MapperMode,
      rows: "rows" in first ? first.rows : [],
      reason: "reason" in first ? first.reason : null,
      /** The text the rows stand for (read from it or written to it); null when they stand for none. */
      text: ("rows" in first ? draft.mappingText : null) as string | null,
    };
  });

  // The text changed outside the rows while they are shown: read it again.
  if (state.mode === "visual" && draft.mappingText !== state.text) {
    const next = read(draft.mappingText || "{}");
    setState(
      "rows" in next
        ? { ...state, rows: next.rows, text: draft.mappingText, reason: null }
        : { ...state, mode: "json", reason: next.reason, text: null },
    );
  }

  const { problems } = mappingFromRows(state.rows);
  // Updates come from handlers created several renders ago (an inserter handed out on focus): they apply
  // to the rows as they are now.
  const latest = useRef(state);
  latest.current = state;

  function setRows(update: (rows: FieldRow[]) => FieldRow[]) {
    const current = latest.current;
    const rows = update(current.rows);
    const text = pretty(mappingFromRows(rows).mapping);
    latest.current = { ...current, rows, text, reason: null };
    setState(latest.current);
    onChange((d) => ({ ...d, mappingText: text }));
  }

  function setMode(mode: MapperMode) {
    if (mode === state.mode) return;
    if (mode === "json") {
      setState((s) => ({ ...s, mode, reason: null }));
      return;
    }
    // Unchanged since the rows wrote it: the rows as they were, half-filled ones included.
    if (draft.mappingText === state.text) {
      setState((s) => ({ ...s, mode, reason: null }));
      return;
    }
    const next = read(draft.mappingText || "{}");
    setState((s) =>
      "rows" in next ? { mode, rows: next.rows, reason: null, text: draft.mappingText } : { ...s, reason: next.reason },
    );
  }

  return { mode: state.mode, rows: state.rows, reason: state.reason, problems, setRows, setMode };
}
