"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders the page every two seconds while some snapshot file is still being written, so progress moves. */
export function RefreshWhileBuilding({ building }: { building: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!building) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [building, router]);
  return null;
}
