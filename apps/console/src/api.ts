/**
 * The API client: JSON in and out, the session's bearer token, and every error turned into
 * the API's problem document (RFC 9457), whose `detail` sentence the screens show as it is.
 */
import { session } from './session';

export interface ProblemDoc {
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: ReadonlyArray<{ field?: string; message?: string; detail?: string }>;
}

export class ApiProblem extends Error {
  constructor(readonly problem: ProblemDoc) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

interface Options {
  readonly method?: string;
  readonly body?: unknown;
  readonly form?: FormData;
  readonly accept?: string;
  readonly auth?: boolean;
}

const problemOf = async (res: Response): Promise<ProblemDoc> => {
  const text = await res.text();
  try {
    const doc = JSON.parse(text) as ProblemDoc;
    return { ...doc, status: doc.status ?? res.status };
  } catch {
    return { status: res.status, title: res.statusText, detail: text.slice(0, 300) || res.statusText };
  }
};

export const request = async (path: string, options: Options = {}): Promise<Response> => {
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  const token = options.auth === false ? undefined : session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(path, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body });
  if (res.status === 401 && token) session.expired();
  if (!res.ok) throw new ApiProblem(await problemOf(res));
  return res;
};

export const getJson = async <T>(path: string, auth = true): Promise<T> =>
  (await (await request(path, { auth })).json()) as T;

export const postJson = async <T>(path: string, body: unknown, auth = true): Promise<T> =>
  (await (await request(path, { method: 'POST', body, auth })).json()) as T;

/** a file the API serves only with the bearer token: fetched, then handed to the browser as a download */
export const download = async (path: string, fileName: string, accept?: string): Promise<void> => {
  const blob = await (await request(path, { accept: accept ?? '*/*' })).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

/** the sentence to show for a refusal: the API's detail, else the message of whatever failed */
export const sentenceOf = (error: unknown): string => {
  if (error instanceof ApiProblem) {
    const fields = (error.problem.errors ?? []).map((e) => e.detail ?? e.message).filter(Boolean);
    return [error.problem.detail ?? error.message, ...fields].join(' ');
  }
  return error instanceof Error ? error.message : String(error);
};
