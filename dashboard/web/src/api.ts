/** The analytics API from the browser: bearer token from local storage, typed responses, CSV downloads. */

import type { Static } from '@sinclair/typebox';
import type { DimensionsSchema, FrtDistributionSchema, HeatmapSchema, LiveSchema, TimeseriesSchema } from '../../api/schemas.js';

/** Metric fields by name: panels and tables pick them by key. */
export type Metrics = Record<string, number | null>;
/** `label`: by=agent, the agent's display name ("Anna K.") when the desk has seen them act. */
export type BreakdownRow = { key: string; label?: string } & Metrics;
// The other responses have the shapes the API validates and serializes (dashboard/api/schemas.ts); type-only, nothing of the server is bundled.
export type Timeseries = Static<typeof TimeseriesSchema>;
export type Heatmap = Static<typeof HeatmapSchema>;
export type FrtBucket = Static<typeof FrtDistributionSchema>[number];
export type Live = Static<typeof LiveSchema>;
export type Dimensions = Static<typeof DimensionsSchema>;

const TOKEN_KEY = 'analytics-token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
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
