/** The analytics API from the browser: bearer token from local storage, typed responses, CSV downloads. */

export type Metrics = Record<string, number | null>;
export type BreakdownRow = { key: string } & Metrics;
export interface Timeseries { points: { t: string; value: number | null }[] }
export interface Heatmap { cells: { weekday: number; hour: number; tickets: number }[] }
export interface FrtBucket { bucket: string; tickets: number; share: number | null }
export interface LiveTicket { ticket_id: number; queue: string; status: string; agent: string; sla: string; due_at: string; overdue_seconds: number; state: 'breached' | 'at_risk' }
export interface Live {
  as_of: string;
  open_tickets: number;
  waiting_first_response: number;
  at_risk: number;
  breached: number;
  oldest_waiting: { ticket_id: number; queue: string; waiting_seconds: number } | null;
  by_queue: { queue: string; status: string; open: number; at_risk: number; breached: number }[];
  tickets: LiveTicket[];
}

const TOKEN_KEY = 'analytics-token';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const token = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (t: string) => (t ? localStorage.setItem(TOKEN_KEY, t) : localStorage.removeItem(TOKEN_KEY)),
};

function url(path: string, params: Record<string, string | undefined>): URL {
  // relative to the page, so the app also works behind a path prefix
  const u = new URL(`api/v1/${path}`, document.baseURI);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
  return u;
}

async function request(path: string, params: Record<string, string | undefined>, accept: string, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { accept };
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  const res = await fetch(url(path, params), { headers, signal });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { message?: string; error?: string };
      message = body.message ?? body.error ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message);
  }
  return res;
}

export async function getJson<T>(path: string, params: Record<string, string | undefined>, signal?: AbortSignal): Promise<T> {
  return (await request(path, params, 'application/json', signal)).json() as Promise<T>;
}

/** Fetches the CSV with the token (a plain link could not send it) and saves it. */
export async function downloadCsv(path: string, params: Record<string, string | undefined>, filename: string): Promise<void> {
  const blob = await (await request(path, { ...params, format: 'csv' }, 'text/csv')).blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
