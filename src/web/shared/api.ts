/** JSON requests to the kefu API with its one error shape, and network failures told apart. */

export class ApiError extends Error {
  constructor(
    /** The HTTP status; 0 when the request never got an answer (network down, server unreachable). */
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  /** No answer, or the server was unavailable: the connection is the problem. */
  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
  /** Whether trying again later may work: unreachable, or too many requests for now (429). */
  get transient(): boolean {
    return this.unreachable || this.status === 429;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  token?: string | null;
  signal?: AbortSignal;
  /** Extra request headers (e.g. X-Kefu-User, naming an editor in the knowledge history). */
  headers?: Record<string, string>;
}

/** Sends a JSON request and returns the parsed body (undefined for 204); throws ApiError otherwise. */
export async function api<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: "omit",
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", "网络连接失败");
  }
  if (res.status === 204) return undefined as T;
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, error?.code ?? "http_error", error?.message ?? `HTTP ${res.status}`);
  }
  return body as T;
}
