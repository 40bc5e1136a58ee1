import type { InputHTMLAttributes, Ref } from 'react';
import { useState } from 'react';
import { useI18n } from '../i18n.ts';

type PasswordInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { inputRef?: Ref<HTMLInputElement> };

/** A password field with a button that shows what was typed (on a phone, a typo is otherwise invisible). */
export function PasswordInput({ inputRef, ...props }: PasswordInputProps) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  return (
    <span className="password-field">
      <input ref={inputRef} type={shown ? 'text' : 'password'} spellCheck={false} autoCapitalize="none" {...props} />
      <button type="button" className="password-toggle" aria-pressed={shown} onClick={() => setShown((value) => !value)}>
        {shown ? t.hidePassword : t.showPassword}
      </button>
    </span>
  );
}
