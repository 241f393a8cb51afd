"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ROLES, type Role } from "@/lib/auth/roles";

/** An admin's role picker for one user: saves through POST /api/admin/users/<id>/role and says how it went. */
export function RoleSelect({ userId, email, role }: { userId: string; email: string; role: Role }) {
  const router = useRouter();
  const [value, setValue] = useState(role);
  const [status, setStatus] = useState<{ kind: "saving" | "saved" | "error"; text: string } | null>(null);

  async function change(next: Role) {
    const previous = value;
    setValue(next);
    setStatus({ kind: "saving", text: "Saving …" });
    try {
      const response = await fetch(`/api/admin/users/${userId}/role`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ role: next }),
      });
      const body = (await response.json().catch(() => null)) as { error?: string } | null;
      if (!response.ok) throw new Error(body?.error ?? `failed (${response.status})`);
      setStatus({ kind: "saved", text: "Saved" });
      router.refresh();
    } catch (error) {
      setValue(previous);
      setStatus({ kind: "error", text: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <div className="flex items-center gap-2">
      <select
        aria-label={`Role of ${email}`}
        value={value}
        disabled={status?.kind === "saving"}
        onChange={(event) => void change(event.target.value as Role)}
        className="rounded border border-neutral-300 bg-white px-2 py-1 text-sm dark:border-neutral-700 dark:bg-neutral-950"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {status ? (
        <span
          role={status.kind === "error" ? "alert" : "status"}
          className={`text-xs ${status.kind === "error" ? "text-red-700 dark:text-red-400" : "text-neutral-500"}`}
        >
          {status.text}
        </span>
      ) : null}
    </div>
  );
}
