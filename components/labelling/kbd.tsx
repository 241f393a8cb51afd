/** A key's name; hidden on touch screens, where there is no keyboard to press it on. */
export function Kbd({ children }: { children: React.ReactNode }) {
  return (
    <kbd className="min-w-6 rounded border border-neutral-300 bg-neutral-100 px-1.5 text-center font-mono text-xs text-neutral-700 pointer-coarse:hidden dark:border-neutral-600 dark:bg-neutral-800 dark:text-neutral-300">
      {children}
    </kbd>
  );
}
