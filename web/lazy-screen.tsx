import type { ComponentType, ReactNode } from 'react';
import { Component, lazy, Suspense, useState } from 'react';
import { handleError } from './handle-error.ts';
import { useI18n } from './i18n.ts';

/** The page-wide placeholder while something loads, or a retry once it could not. */
export function Splash({ onRetry }: { onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <main className="splash">
      <h1>{t.appTitle}</h1>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          {t.retry}
        </button>
      ) : (
        <p>{t.loading}</p>
      )}
    </main>
  );
}

interface FailureBoundaryProps {
  onRetry: () => void;
  children: ReactNode;
}

/** Catches a screen's code that could not be fetched (a dead link) and offers to fetch it again. */
class LoadFailureBoundary extends Component<FailureBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    handleError(error);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <Splash
        onRetry={() => {
          this.props.onRetry();
          this.setState({ failed: false });
        }}
      />
    );
  }
}

/**
 * A screen whose code is fetched the first time it is shown, so a page downloads only its own
 * screen: the field page on a rural phone link never pays for the command map, MapLibre, deck.gl,
 * the case desk or the admin pages. Shows the splash while the code arrives; a failed fetch (the
 * phone lost its network) can be retried, which React.lazy alone cannot (it keeps the rejection).
 */
export function lazyScreen<Props extends object>(
  load: () => Promise<ComponentType<Props>>,
): ComponentType<Props> & { preload: () => void } {
  const fresh = () => lazy(async () => ({ default: await load() }));
  let Loaded = fresh();
  // biome-ignore lint/correctness/noComponentHookFactories: called once per screen, at module level: each screen keeps one component.
  function LazyScreen(props: Props) {
    const [, setAttempt] = useState(0);
    const retry = () => {
      Loaded = fresh();
      setAttempt((attempt) => attempt + 1);
    };
    return (
      <LoadFailureBoundary onRetry={retry}>
        <Suspense fallback={<Splash />}>
          <Loaded {...props} />
        </Suspense>
      </LoadFailureBoundary>
    );
  }
  /** Starts fetching the screen's code before it is shown (the browser keeps the one module). */
  const preload = () => {
    load().catch(() => {
      // Shown later, the screen fetches again and offers a retry if that fails too.
    });
  };
  return Object.assign(LazyScreen, { preload });
}
