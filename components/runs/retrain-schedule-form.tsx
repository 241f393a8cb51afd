"use client";

import { useState } from "react";
import type { TRetrainSettings } from "@/lib/runs/retrain-settings";

const field = "rounded border border-neutral-300 bg-transparent px-1 py-0.5 text-sm dark:border-neutral-700";

/** The retrain schedule: admins change it (each change lands in the audit log); researchers see it. */
export function RetrainScheduleForm({
  settings,
  editable,
  models,
  labelPolicies,
  note,
}: {
  settings: TRetrainSettings;
  editable: boolean;
  models: string[];
  labelPolicies: readonly string[];
  note: string;
}) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body: TRetrainSettings = {
      enabled: form.get("enabled") === "on",
      afterLabels: Number(form.get("afterLabels")),
      afterHours: Number(form.get("afterHours")),
      modelName: String(form.get("modelName")),
      preset: String(form.get("preset")) as TRetrainSettings["preset"],
      labelPolicy: String(form.get("labelPolicy")) as TRetrainSettings["labelPolicy"],
    };
    const response = await fetch("/api/runs/schedule", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { error?: string };
    setMessage(response.ok ? { ok: true, text: "Schedule saved" } : { ok: false, text: answer.error ?? `HTTP ${response.status}` });
  };
  return (
    <form onSubmit={submit} aria-label="retrain schedule" className="space-y-2 text-sm">
      <fieldset disabled={!editable} className="flex flex-wrap items-end gap-3">
        <label className="flex items-center gap-1">
          <input type="checkbox" name="enabled" defaultChecked={settings.enabled} /> on
        </label>
        <label className="flex flex-col">
          after new labels
          <input name="afterLabels" type="number" min="1" defaultValue={settings.afterLabels} className={`${field} w-24`} />
        </label>
        <label className="flex flex-col">
          or after hours (0: never)
          <input name="afterHours" type="number" min="0" step="any" defaultValue={settings.afterHours} className={`${field} w-20`} />
        </label>
        <label className="flex flex-col">
          model
          <select name="modelName" defaultValue={settings.modelName} className={field}>
            {models.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          preset
          <select name="preset" defaultValue={settings.preset} className={field}>
            <option value="fast">fast</option>
            <option value="seed">seed</option>
          </select>
        </label>
        <label className="flex flex-col">
          label policy
          <select name="labelPolicy" defaultValue={settings.labelPolicy} className={field}>
            {labelPolicies.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        {editable ? (
          <button type="submit" className="rounded border px-2 py-0.5">
            Save schedule
          </button>
        ) : null}
      </fieldset>
      <p className="text-xs text-neutral-500">
        {note}
        {message ? (
          <span role="status" className={`ml-2 ${message.ok ? "text-green-700" : "text-red-600"}`}>
            {message.text}
          </span>
        ) : null}
      </p>
    </form>
  );
}
