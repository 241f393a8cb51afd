"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** Promote (or roll back to) a version, with the reason the audit log keeps. */
export function PromoteButton({ versionId, label }: { versionId: number; label: string }) {
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const response = await fetch(`/api/models/${versionId}/promote`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason }),
    });
    const body = (await response.json()) as { action?: string; from?: number | null; error?: string };
    if (!response.ok) return setMessage({ ok: false, text: body.error ?? `HTTP ${response.status}` });
    setMessage({ ok: true, text: `${body.action === "rolled_back" ? "Rolled back" : "Promoted"}: now serving` });
    router.refresh();
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2 text-sm" aria-label="promote">
      <input
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="why (kept in the audit log)"
        className="w-64 rounded border border-neutral-300 bg-transparent px-1 py-0.5 dark:border-neutral-700"
        required
        minLength={3}
      />
      <button type="submit" className="rounded bg-sky-600 px-3 py-0.5 text-white">
        {label}
      </button>
      {message ? (
        <span role="status" className={message.ok ? "text-green-700" : "text-red-600"}>
          {message.text}
        </span>
      ) : null}
    </form>
  );
}
