/**
 * Paths under the console's base (/console/): the API answers index.html for every one of
 * them, so a deep link or a reload lands on the same screen. Links push history entries.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');
const listeners = new Set<() => void>();

export const currentPath = (): string => {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return path === '' ? '/' : path;
};

export const href = (path: string): string => `${BASE}${path}`;

export const navigate = (path: string, replace = false): void => {
  if (replace) history.replaceState(null, '', href(path));
  else history.pushState(null, '', href(path));
  listeners.forEach((l) => l());
};

window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export const usePath = (): string => {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return path;
};

export const Link = (props: { to: string; children: ComponentChildren; class?: string }) => (
  <a
    href={href(props.to)}
    class={props.class}
    onClick={(e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(props.to);
    }}
  >
    {props.children}
  </a>
);
