import type { InputHTMLAttributes } from 'preact';

interface Props {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  required?: boolean;
}

/** A labelled text input: every field of a form has a visible label tied to it by `for`. */
export function TextField({ id, label, value, onValue, type = 'text', autoComplete, required }: Props) {
  // Preact types `type` as a union keyed by each literal; one attribute object keeps it simple.
  const attrs = { id, type, autoComplete, required, value } as InputHTMLAttributes<HTMLInputElement>;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input {...attrs} onInput={(e) => onValue(e.currentTarget.value)} />
    </div>
  );
}
