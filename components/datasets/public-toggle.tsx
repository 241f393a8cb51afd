"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** Makes a snapshot public (a link anyone can download from) or private again. */
export function PublicToggle({ snapshotId, isPublic }: { snapshotId: number; isPublic: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function toggle() {
    setPending(true);
    setError(null);
    const response = await fetch(`/api/datasets/snapshots/${snapshotId}/public`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ public: !isPublic }),
    }).catch(() => null);
    setPending(false);
    if (!response?.ok) setError("could not change it; try again");
    else router.refresh();
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={toggle} disabled={pending} className="rounded border border-neutral-300 px-2 py-0.5 text-xs disabled:opacity-50 dark:border-neutral-700">
        {isPublic ? "Make private" : "Make public"}
      </button>
      {error ? <span role="alert" className="text-xs text-red-700">{error}</span> : null}
    </span>
  );
}
