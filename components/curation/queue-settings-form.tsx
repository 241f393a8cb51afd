"use client";

import { useState } from "react";

/** Researchers and admins set the queue's default strategy and the weights of "mix". */
export function QueueSettingsForm({
  strategies,
  initial,
}: {
  strategies: string[];
  initial: { defaultStrategy: string; mix: Record<string, number> };
}) {
  const [defaultStrategy, setDefault] = useState(initial.defaultStrategy);
  const [mix, setMix] = useState<Record<string, number>>(initial.mix);
  const [status, setStatus] = useState("");
  const mixable = strategies.filter((s) => !["mix", "unreviewed", "uncertain", "mislabel"].includes(s));
  async function save(event: React.FormEvent) {
    event.preventDefault();
    setStatus("saving …");
    const response = await fetch("/api/curation/settings", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ defaultStrategy, mix }),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    setStatus(response.ok ? "saved; the mix applies from the next ranking rebuild" : (body.error ?? `failed (${response.status})`));
  }
  return (
    <form onSubmit={save} className="space-y-3 text-sm">
      <label className="flex items-center gap-2">
        Default queue
        <select value={defaultStrategy} onChange={(e) => setDefault(e.target.value)} className="rounded border px-1 py-0.5">
          {strategies.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <fieldset className="grid grid-cols-2 gap-1 md:grid-cols-3">
        <legend className="mb-1 text-xs text-neutral-500">Weights of &quot;mix&quot; (0 leaves one out)</legend>
        {mixable.map((s) => (
          <label key={s} className="flex items-center gap-2">
            <input
              type="number"
              min={0}
              max={100}
              step={1}
              value={mix[s] ?? 0}
              onChange={(e) => setMix({ ...mix, [s]: Number(e.target.value) })}
              className="w-14 rounded border px-1"
              aria-label={`weight of ${s}`}
            />
            {s}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="rounded bg-neutral-900 px-3 py-1 text-white dark:bg-neutral-100 dark:text-neutral-900">
        Save
      </button>
      <span role="status" className="ml-2 text-neutral-500">
        {status}
      </span>
    </form>
  );
}
