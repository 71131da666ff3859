"use client";

import { useRef, useState } from "react";
import type { Draft } from "../draft";
import { type FilterForm, filterFromForm, formFromFilter } from "./filter-rows";

const text = (filter: unknown) => JSON.stringify(filter ?? null);

/**
 * The filter builder's rows over `draft.extra.filter` (kept there as the connector's own field): every change
 * writes the filter; a filter changed elsewhere (JSON, reload, save) is read again. A filter the form cannot
 * show keeps `reason` and is left as it is.
 */
export function useFilterForm(draft: Draft, onChange: (update: (d: Draft) => Draft) => void) {
  const stored = draft.extra.filter;
  const [state, setState] = useState(() => {
    const read = formFromFilter(stored);
    return {
      form: ("form" in read ? read.form : { mode: "none" }) as FilterForm,
      reason: "reason" in read ? read.reason : null,
      written: text(stored),
    };
  });
  if (text(stored) !== state.written) {
    const read = formFromFilter(stored);
    setState({
      form: "form" in read ? read.form : state.form,
      reason: "reason" in read ? read.reason : null,
      written: text(stored),
    });
  }
  const latest = useRef(state);
  latest.current = state;

  function setForm(update: (form: FilterForm) => FilterForm) {
    const form = update(latest.current.form);
    const { filter } = filterFromForm(form);
    latest.current = { form, reason: null, written: text(filter) };
    setState(latest.current);
    onChange((d) => {
      const extra = { ...d.extra };
      // No filter: sent as null only when the connector had one (a new connector just has none).
      if (filter === null && (extra.filter === undefined || extra.filter === null)) return d;
      extra.filter = filter;
      return { ...d, extra };
    });
  }

  return { form: state.form, reason: state.reason, problems: filterFromForm(state.form).problems, setForm };
}
