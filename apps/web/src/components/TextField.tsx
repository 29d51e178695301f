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
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type={type} autoComplete={autoComplete} required={required} value={value}
        onInput={(e) => onValue(e.currentTarget.value)} />
    </div>
  );
}
