/**
 * Who is signed in: the bearer token (a local development token from POST
 * /v1/console/sign-in, or the OpenID Connect access token) kept in sessionStorage, so it
 * lives as long as the tab, and the claims read from it to choose the screens. The API
 * checks the token on every call; the claims here only steer the UI.
 */
export type Role = 'agent' | 'supervisor' | 'auditor' | 'support-admin';

export interface Claims {
  readonly role: string;
  readonly sub?: string;
  readonly email?: string;
  readonly name?: string;
  readonly vendor?: string;
  readonly org?: string;
  readonly exp?: number;
}

const KEY = 'console.token';
const listeners = new Set<() => void>();

const decode = (token: string): Claims | undefined => {
  try {
    const part = token.split('.')[1];
    const binary = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))) as Claims;
  } catch {
    return undefined;
  }
};

export const session = {
  token(): string | undefined {
    return sessionStorage.getItem(KEY) ?? undefined;
  },
  claims(): Claims | undefined {
    const token = this.token();
    return token ? decode(token) : undefined;
  },
  signIn(token: string): void {
    sessionStorage.setItem(KEY, token);
    listeners.forEach((l) => l());
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  /** a 401 on a call made with the token: it expired or was revoked */
  expired(): void {
    this.signOut();
  },
  onChange(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** the screen each role lands on */
export const homeOf = (role: string | undefined): string => {
  switch (role) {
    case 'agent':
      return '/queues';
    case 'supervisor':
      return '/reports';
    case 'auditor':
      return '/audit';
    case 'support-admin':
      return '/cases';
    default:
      return '/sign-in';
  }
};
