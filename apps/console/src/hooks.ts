import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { sentenceOf } from './api';
import { live, type LiveCaseEvent } from './live';

export interface Loaded<T> {
  readonly data?: T;
  readonly error?: string;
  readonly reload: (after?: number) => void;
}

/** loads with `load(after)`; `reload(after)` loads again (after a write, or a live event) */
export const useLoad = <T>(load: (after?: number) => Promise<T>, deps: unknown[]): Loaded<T> => {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const latest = useRef(0);
  const reload = useCallback((after?: number) => {
    const ticket = ++latest.current;
    load(after).then(
      (data) => ticket === latest.current && setState({ data }),
      (error: unknown) => ticket === latest.current && setState((s) => ({ data: s.data, error: sentenceOf(error) })),
    );
  }, deps);
  useEffect(() => reload(), [reload]);
  return { ...state, reload };
};

/**
 * Live refresh: when an event the screen cares about arrives, wait for the read models'
 * progress to reach its position, then call `refresh(position)` (which reads with ?after=).
 */
export const useLiveRefresh = (
  cares: (e: LiveCaseEvent) => boolean,
  refresh: (position: number) => void,
  immediate = false,
): void => {
  const pending = useRef<number | undefined>(undefined);
  const ref = useRef({ cares, refresh });
  ref.current = { cares, refresh };
  useEffect(
    () =>
      live.subscribe({
        onEvent: (e) => {
          if (!ref.current.cares(e)) return;
          if (immediate) ref.current.refresh(e.position);
          else pending.current = Math.max(pending.current ?? 0, e.position);
        },
        onProgress: (position) => {
          if (pending.current !== undefined && position >= pending.current) {
            pending.current = undefined;
            ref.current.refresh(position);
          }
        },
      }),
    [immediate],
  );
};

export const useLiveState = (): boolean => {
  const [on, setOn] = useState(false);
  useEffect(() => live.subscribe({ onState: setOn }), []);
  return on;
};

/** the current time, every second (the countdowns) */
export const useNow = (): number => {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
};
