"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormSubmit } from "@/components/auth/form-submit";

const METHODS = [
  { value: "original", label: "FER-2013 original labels" },
  { value: "majority", label: "Majority of all votes (FER+ crowd, people, original)" },
  { value: "dawid-skene", label: "Dawid-Skene (voters weighted by their reliability)" },
  { value: "soft", label: "Soft: vote distribution (top class as label)" },
] as const;
const SPLITS = [
  { value: "train", label: "train" },
  { value: "val", label: "val (PublicTest)" },
  { value: "test", label: "test (PrivateTest)" },
] as const;

/** Makes a snapshot from the live set: which splits, which labels, what to leave out. Researchers only. */
export function SnapshotForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/datasets/snapshots", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: form.get("name"),
          filter: {
            splits: form.getAll("splits"),
            labelMethod: form.get("labelMethod"),
            minConfidence: Number(form.get("minConfidence")) / 100,
            includeUploads: form.has("includeUploads"),
            includeNotFace: form.has("includeNotFace"),
            includeDuplicates: form.has("includeDuplicates"),
            png: form.has("png"),
          },
        }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        setError(body.error ?? `could not make the snapshot (${response.status})`);
        return;
      }
      router.refresh();
    } catch {
      setError("could not reach the server; nothing was made");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Make a snapshot" className="grid gap-3 rounded-lg border border-neutral-200 p-4 text-sm dark:border-neutral-800 md:grid-cols-2">
      <label className="flex flex-col gap-1">
        Name
        <input name="name" required maxLength={120} defaultValue="Curated FER-2013" className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900" />
      </label>
      <label className="flex flex-col gap-1">
        Labels
        <select name="labelMethod" defaultValue="original" className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900">
          {METHODS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1">Splits</legend>
        {SPLITS.map((s) => (
          <label key={s.value} className="flex items-center gap-1">
            <input type="checkbox" name="splits" value={s.value} defaultChecked /> {s.label}
          </label>
        ))}
      </fieldset>
      <label className="flex flex-col gap-1">
        Minimum confidence (%)
        <input name="minConfidence" type="number" min={0} max={100} step={5} defaultValue={0} className="w-24 rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900" />
      </label>
      <fieldset className="flex flex-wrap gap-3 md:col-span-2">
        <legend className="mb-1">Include</legend>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="includeDuplicates" defaultChecked /> faces that occur more than once
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="includeUploads" /> uploads
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="includeNotFace" /> items judged not a face
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="png" /> also a lossless PNG zip
        </label>
      </fieldset>
      <div className="flex items-center gap-3 md:col-span-2">
        <FormSubmit error={error} pending={pending} idle="Make snapshot" busy="Freezing…" />
      </div>
    </form>
  );
}
