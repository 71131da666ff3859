"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useToast } from "@/components/ui";
import { ApiError, api } from "@/lib/api";
import type { Connector } from "@/lib/engine-types";
import { build, type Draft, draftFrom, draftFromJson, draftToJson, emptyDraft } from "./draft";

export interface Issue {
  path: string;
  message: string;
}

/** Sets one field of the draft. */
export type SetField = <K extends keyof Draft>(key: K, value: Draft[K]) => void;
/** The engine's message for the first of these paths (or a path under them) it refused, if any. */
export type IssueFor = (...paths: string[]) => string | undefined;

/** What every section of the editor is given. */
export interface SectionProps {
  draft: Draft;
  set: SetField;
  issueFor: IssueFor;
  readOnly: boolean;
}

function issuesOf(error: unknown): Issue[] {
  if (!(error instanceof ApiError)) return [];
  const raw = (error.details as { issues?: Array<{ path?: unknown; message?: unknown }> } | undefined)?.issues ?? [];
  return raw.map((i) => ({
    path: Array.isArray(i.path) ? i.path.join(".") : String(i.path ?? ""),
    message: String(i.message ?? ""),
  }));
}

/**
 * The connector being edited: the draft against the last saved baseline (dirty tracking), the JSON view of it,
 * and saving with the draft's version, where a 409 keeps the edits and offers reload or overwrite.
 */
export function useConnectorDraft(initial: Connector | null) {
  const router = useRouter();
  const qc = useQueryClient();
  const toast = useToast();
  const [baseline, setBaseline] = useState<Draft>(() => (initial ? draftFrom(initial) : emptyDraft()));
  const [draft, setDraft] = useState<Draft>(baseline);
  const [jsonMode, setJsonMode] = useState(false);
  const [jsonText, setJsonText] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<ApiError | null>(null);

  const built = useMemo(() => build(draft), [draft]);
  const dirty = useMemo(() => JSON.stringify(build(baseline).input) !== JSON.stringify(built.input), [baseline, built]);

  const resetTo = (next: Draft) => {
    setBaseline(next);
    setDraft(next);
    if (jsonMode) setJsonText(draftToJson(next));
  };

  // Saved elsewhere on the page (the "Enable" of the disabled banner): without edits here, show that version;
  // with edits, keep them and let the save's 409 offer reload or overwrite.
  const [loadedVersion, setLoadedVersion] = useState(initial?.version);
  if (initial && initial.version !== loadedVersion) {
    setLoadedVersion(initial.version);
    if (!dirty) resetTo(draftFrom(initial));
  }
  const set: SetField = (key, value) => setDraft((d) => ({ ...d, [key]: value }));

  const secrets = useQuery({
    queryKey: ["connector-secrets", initial?.id],
    queryFn: () => api.connectors.secrets(initial!.id),
    enabled: Boolean(initial?.id),
    retry: false,
  });
  const secretNames = useMemo(() => (secrets.data ?? []).map((s) => s.name), [secrets.data]);

  const save = useMutation({
    mutationFn: async () => {
      let current = draft;
      if (jsonMode) {
        const parsed = draftFromJson(jsonText, draft);
        if ("error" in parsed) throw new ApiError(400, "VALIDATION_FAILED", parsed.error);
        current = parsed.draft;
        setDraft(current);
      }
      const { input, errors } = build(current);
      if (!input) throw new ApiError(400, "VALIDATION_FAILED", `The mapping is not valid JSON: ${errors.mapping}`);
      return api.connectors.save(input);
    },
    onSuccess: (saved) => {
      qc.setQueryData(["connector", saved.id], saved);
      qc.invalidateQueries({ queryKey: ["connectors"] });
      setConflict(null);
      if (!initial) {
        toast.success("Connector created", saved.name);
        router.replace(`/connectors/${saved.id}`);
        return;
      }
      toast.success("Saved", `${saved.name} · version ${saved.version}`);
      resetTo(draftFrom(saved));
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) {
        setConflict(error);
        return;
      }
      toast.error("Could not save", error.message);
    },
  });

  async function reloadLatest() {
    if (!initial) return;
    const latest = await api.connectors.get(initial.id);
    qc.setQueryData(["connector", latest.id], latest);
    resetTo(draftFrom(latest));
    setConflict(null);
    toast.info("Reloaded", `Showing version ${latest.version}. Your unsaved changes were discarded.`);
  }

  async function overwrite() {
    if (!initial) return;
    const latest = await api.connectors.get(initial.id);
    setDraft((d) => ({ ...d, version: latest.version }));
    setConflict(null);
    toast.info("Ready to overwrite", `Save again to replace version ${latest.version} with your changes.`);
  }

  function toggleJson() {
    if (!jsonMode) {
      setJsonText(draftToJson(draft));
      setJsonError(null);
      setJsonMode(true);
      return;
    }
    const parsed = draftFromJson(jsonText, draft);
    if ("error" in parsed) {
      setJsonError(parsed.error);
      return;
    }
    setDraft(parsed.draft);
    setJsonError(null);
    setJsonMode(false);
  }

  function editJson(text: string) {
    setJsonText(text);
    setJsonError(null);
  }

  const fieldIssues = issuesOf(save.error);
  const issueFor: IssueFor = (...paths) =>
    fieldIssues.find((i) => paths.some((p) => i.path === p || i.path.startsWith(`${p}.`)))?.message;

  // In JSON mode the preview follows the JSON text when it parses.
  const previewDraft = useMemo(() => {
    if (!jsonMode) return draft;
    const parsed = draftFromJson(jsonText, draft);
    return "draft" in parsed ? parsed.draft : draft;
  }, [jsonMode, jsonText, draft]);

  return {
    draft,
    setDraft,
    set,
    built,
    dirty,
    previewDraft,
    secretNames,
    json: { mode: jsonMode, text: jsonText, error: jsonError, edit: editJson, toggle: toggleJson },
    save,
    fieldIssues,
    issueFor,
    conflict,
    reloadLatest,
    overwrite,
  };
}
