"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { canOpenPage } from "@/app/_lib/route-access";
import { SignOutButton } from "@/components/auth/sign-out-button";
import type { SessionUser } from "@/lib/auth/types";

const LINKS = [
  { href: "/label", label: "Label" },
  { href: "/upload", label: "Upload" },
  { href: "/datasets", label: "Datasets" },
  { href: "/runs", label: "Runs" },
  { href: "/models", label: "Models" },
  { href: "/quality", label: "Quality" },
  { href: "/admin", label: "Admin" },
];

/** The links the signed-in user's role opens (the server checks again on every page), and who is signed in. */
export function NavBar({ user }: { user: SessionUser | null }) {
  const pathname = usePathname();
  const links = LINKS.filter((link) => canOpenPage(user, link.href));
  return (
    <nav className="border-b border-neutral-200 bg-white dark:border-neutral-800 dark:bg-neutral-950">
      {/* On a phone the links take a row of their own under the name and the account, so nothing runs off-screen. */}
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-2 sm:py-3">
        <Link href="/" className="py-1 text-lg font-semibold tracking-tight">
          faceloop
        </Link>
        <ul className="order-last -mx-1 flex w-full flex-wrap gap-1 text-sm sm:order-none sm:mx-0 sm:w-auto">
          {links.map((link) => {
            const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
            return (
              <li key={link.href}>
                <Link
                  href={link.href}
                  aria-current={active ? "page" : undefined}
                  className={`inline-flex items-center rounded px-3 py-1.5 pointer-coarse:min-h-11 ${active ? "bg-neutral-900 text-white dark:bg-white dark:text-neutral-900" : "text-neutral-600 hover:bg-neutral-100 dark:text-neutral-300 dark:hover:bg-neutral-800"}`}
                >
                  {link.label}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="ml-auto flex min-w-0 items-center gap-3 text-sm">
          {user ? (
            <>
              <span
                aria-label="Signed in as"
                className="flex min-w-0 items-center gap-1 text-neutral-600 dark:text-neutral-300"
              >
                <span className="hidden max-w-[16rem] truncate sm:inline" title={user.name ?? user.email}>
                  {user.name ?? user.email}
                </span>
                <span
                  data-testid="user-role"
                  className="rounded bg-neutral-100 px-1.5 py-0.5 text-xs text-neutral-700 dark:bg-neutral-800 dark:text-neutral-300"
                >
                  {user.role}
                </span>
              </span>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link
                href="/signin"
                className="rounded px-3 py-1.5 text-neutral-600 hover:bg-neutral-100 dark:text-neutral-300 dark:hover:bg-neutral-800"
              >
                Sign in
              </Link>
              <Link
                href="/signup"
                className="rounded px-3 py-1.5 text-neutral-600 hover:bg-neutral-100 dark:text-neutral-300 dark:hover:bg-neutral-800"
              >
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
    </nav>
  );
}
