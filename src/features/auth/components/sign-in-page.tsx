import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, KeyIcon, LogoIcon, TextField } from '@/components/ui';
import { isApiError } from '@/lib/api-client';
import { useSignIn } from '../api/sign-in';

/** Words for a failed sign-in. 401 and 429 get specific, actionable text. */
export function signInErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.status === 401) return 'That key is not recognised. Check it and try again.';
    if (error.status === 429) {
      const seconds = error.retryAfterSeconds ?? 60;
      return `Too many sign-in attempts. Wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'} and try again.`;
    }
    if (error.isNetworkError) return 'Could not reach the server. Check that it is running and try again.';
    return error.message;
  }
  return 'Sign-in failed. Try again.';
}

/** Seconds left until `until` (ms), ticking each second; 0 when passed or unset. */
function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

/**
 * The signed-out screen. Rendered by the AuthGate in place of the app at the current URL,
 * so a shared link opens right after signing in. The key goes from an uncontrolled
 * password input straight into the POST body: it is never put in React state, storage or
 * the URL (the form is POST and JavaScript handles it).
 */
export function SignInPage() {
  const signIn = useSignIn();
  const inputRef = useRef<HTMLInputElement>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const waitSeconds = useCountdown(retryAt);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = inputRef.current;
    const apiKey = input?.value.trim() ?? '';
    if (!apiKey) {
      setFieldError('Enter your API key.');
      input?.focus();
      return;
    }
    setFieldError(null);
    signIn.mutate(apiKey, {
      onError: (error) => {
        if (isApiError(error) && error.status === 429) {
          // Reading the clock in an event handler is fine (not during render).
          setRetryAt(Date.now() + (error.retryAfterSeconds ?? 60) * 1000);
        }
        input?.focus();
        input?.select();
      },
    });
  };

  const error = fieldError ?? (signIn.isError ? signInErrorMessage(signIn.error) : null);
  const waiting = waitSeconds > 0;

  return (
    <div className="signin">
      <main className="signin__main" aria-labelledby="signin-title">
        <div className="signin__brand">
          <span className="signin__logo" aria-hidden="true">
            <LogoIcon size={22} />
          </span>
          <h1 id="signin-title" className="signin__title">
            Execution Context Console
          </h1>
          <p className="signin__subtitle">Sign in with an API key to inspect and repair your agents’ execution contexts.</p>
        </div>

        <form className="signin__card" method="post" onSubmit={submit} noValidate>
          <TextField
            ref={inputRef}
            label="API key"
            name="api_key"
            type="password"
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            // The page's only task: focus its only field.
            autoFocus
            size="lg"
            leadingIcon={<KeyIcon size={15} />}
            error={error}
            onChange={() => fieldError && setFieldError(null)}
          />
          <Button type="submit" variant="primary" size="lg" block loading={signIn.isPending} disabled={waiting}>
            {waiting ? `Try again in ${waitSeconds} s` : 'Sign in'}
          </Button>
        </form>

        <section className="signin__hint" aria-labelledby="signin-hint-title">
          <h2 id="signin-hint-title" className="signin__hint-title">
            Where is my key?
          </h2>
          <p>
            Keys the server generated are in <code>DATA_DIR/api-keys.txt</code>, by default{' '}
            <code>.data/api-keys.txt</code> in the server’s folder.
          </p>
          <p>
            Keys set with <code>ADMIN_API_KEY</code>, <code>EDITOR_API_KEY</code> or <code>VIEWER_API_KEY</code> work too.
          </p>
          <p>Your key is exchanged for a session cookie; it is not stored in this browser.</p>
        </section>
      </main>
    </div>
  );
}
