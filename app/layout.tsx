import type { Metadata } from "next";
import type { ReactNode } from "react";
import { getCurrentUser } from "@/app/_lib/auth";
import { NavBar } from "@/components/nav-bar";
import "./globals.css";

export const metadata: Metadata = {
  title: "faceloop",
  description: "Curate the FER-2013 facial expression dataset and the models trained on it.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body className="min-h-screen bg-neutral-50 font-sans text-neutral-900 antialiased dark:bg-neutral-900 dark:text-neutral-100">
        <NavBar user={user} />
        <main className="mx-auto max-w-6xl px-4 py-4 sm:py-8">{children}</main>
      </body>
    </html>
  );
}
