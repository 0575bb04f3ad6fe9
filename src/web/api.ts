/** Thin fetch wrappers over the JSON API. Errors surface as ApiError with the server's stable code. */

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function parse<T>(res: Response): Promise<T> {
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? 'http-error', e?.message ?? `HTTP ${res.status}`);
  }
  return body as T;
}

export async function get<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, String(v));
  const q = qs.toString();
  return parse<T>(await fetch(`/api/${path}${q ? `?${q}` : ''}`, { headers: { accept: 'application/json' } }));
}

export async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return parse<T>(await fetch(`/api/${path}`, { method: 'POST', headers, body: JSON.stringify(body) }));
}

export const enc = encodeURIComponent;
