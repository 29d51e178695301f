import type { ComponentChildren } from 'preact';

interface Props {
  kind?: 'error' | 'warning' | 'info' | 'success';
  children: ComponentChildren;
}

/** A message box; errors are announced to screen readers at once. */
export function Notice({ kind = 'info', children }: Props) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
