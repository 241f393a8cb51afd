"use client";

import { useState } from "react";

interface Props {
  models: { name: string; description: string }[];
  labelPolicies: readonly string[];
  /** Dataset snapshots with a train split, newest first. */
  snapshots: { id: number; label: string }[];
}

const field = "rounded border border-neutral-300 bg-transparent px-1 py-0.5 text-sm dark:border-neutral-700";

/**
 * Starts a run: a model of the zoo, the seed or fast preset, optional hyperparameter overrides, the label policy
 * and the data. The server validates everything again (lib/runs/start-run.ts).
 */
export function StartRunForm({ models, labelPolicies, snapshots }: Props) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [custom, setCustom] = useState(false);
  const [busy, setBusy] = useState(false);
  const [data, setData] = useState("live");

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const number = (name: string) => (text(name) === "" ? undefined : Number(text(name)));
    const length = text("lengthKind");
    const hyperparameters = custom
      ? Object.fromEntries(
          Object.entries({
            batchSize: number("batchSize"),
            learningRate: number("learningRate"),
            schedule: text("schedule") || undefined,
            augmentation: text("augmentation") || undefined,
            labelSmoothing: number("labelSmoothing"),
            classWeights: text("classWeights") || undefined,
          }).filter(([, v]) => v !== undefined),
        )
      : undefined;
    const config = {
      preset: text("preset"),
      ...(data === "live" ? { labelPolicy: text("labelPolicy") } : { snapshotId: Number(data) }),
      seed: number("seed") ?? 1,
      precision: text("precision") || "f32",
      ...(length === "epochs" ? { epochs: number("length") } : { timeBudgetMinutes: number("length") }),
      ...(number("maxTrainImages") !== undefined ? { maxTrainImages: number("maxTrainImages") } : {}),
      ...(hyperparameters ? { hyperparameters } : {}),
    };
    setBusy(true);
    setMessage(null);
    try {
      const response = await fetch("/api/runs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ modelName: text("modelName"), config }),
      });
      const body = (await response.json()) as { id?: number; error?: string };
      setMessage(response.ok ? { ok: true, text: `Run #${body.id} queued` } : { ok: false, text: body.error ?? `HTTP ${response.status}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-2 rounded border border-neutral-200 p-3 text-sm dark:border-neutral-800" aria-label="start a run">
      <div className="flex flex-wrap gap-3">
        <label className="flex flex-col">
          Model
          <select name="modelName" className={field} defaultValue="compact">
            {models.map((m) => (
              <option key={m.name} value={m.name} title={m.description}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Preset
          <select name="preset" className={field} defaultValue="fast">
            <option value="fast">fast (ours)</option>
            <option value="seed">seed (the model's own)</option>
          </select>
        </label>
        <label className="flex flex-col">
          Length
          <span className="flex gap-1">
            <input name="length" type="number" min="0.1" step="any" defaultValue="3" className={`${field} w-20`} required />
            <select name="lengthKind" className={field} defaultValue="epochs">
              <option value="epochs">epochs</option>
              <option value="minutes">minutes</option>
            </select>
          </span>
        </label>
        <label className="flex flex-col">
          Label policy
          <select
            name="labelPolicy"
            className={field}
            defaultValue="original"
            disabled={data !== "live"}
            title={data !== "live" ? "a snapshot's labels are the ones frozen into it" : undefined}
          >
            {labelPolicies.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Data
          <select name="data" className={field} value={data} onChange={(e) => setData(e.target.value)}>
            <option value="live">live curated set</option>
            {snapshots.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          At most N training faces
          <input name="maxTrainImages" type="number" min="1" placeholder="all" className={`${field} w-24`} />
        </label>
        <label className="flex flex-col">
          Seed
          <input name="seed" type="number" defaultValue="1" className={`${field} w-16`} />
        </label>
        <label className="flex flex-col">
          Convolutions
          <select
            name="precision"
            className={field}
            defaultValue="f32"
            title="bf16: mixed precision on CPUs with AMX (the trainer's oneDNN kernels), f32 elsewhere"
          >
            <option value="f32">f32</option>
            <option value="bf16">bf16 mixed precision</option>
          </select>
        </label>
      </div>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={custom} onChange={(e) => setCustom(e.target.checked)} /> Custom hyperparameters
      </label>
      {custom ? (
        <div className="flex flex-wrap gap-3">
          <label className="flex flex-col">
            Batch
            <input name="batchSize" type="number" min="1" max="1024" placeholder="preset" className={`${field} w-20`} />
          </label>
          <label className="flex flex-col">
            Learning rate
            <input name="learningRate" type="number" step="any" min="0" placeholder="preset" className={`${field} w-24`} />
          </label>
          <label className="flex flex-col">
            Schedule
            <select name="schedule" className={field} defaultValue="">
              <option value="">preset</option>
              <option value="constant">constant</option>
              <option value="one-cycle">one-cycle</option>
            </select>
          </label>
          <label className="flex flex-col">
            Augmentation
            <select name="augmentation" className={field} defaultValue="">
              <option value="">preset</option>
              <option value="none">none</option>
              <option value="flip">flips</option>
              <option value="shift-flip">shifts and flips</option>
            </select>
          </label>
          <label className="flex flex-col">
            Label smoothing
            <input name="labelSmoothing" type="number" step="any" min="0" max="0.5" placeholder="preset" className={`${field} w-20`} />
          </label>
          <label className="flex flex-col">
            Class weights
            <select name="classWeights" className={field} defaultValue="">
              <option value="">preset</option>
              <option value="none">none</option>
              <option value="balanced">balanced</option>
            </select>
          </label>
        </div>
      ) : null}
      <div className="flex items-center gap-3">
        <button type="submit" disabled={busy} className="rounded bg-sky-600 px-3 py-1 text-white disabled:opacity-50">
          Start run
        </button>
        {message ? (
          <span role="status" className={message.ok ? "text-green-700" : "text-red-600"}>
            {message.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
