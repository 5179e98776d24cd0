/** A small JSON client for the Vigil API, as any script or dashboard would use it. */
export class DemoApi {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  /** A conditional GET for polling: a 304 answers `notModified` and keeps the caller's copy. */
  async poll<T>(path: string, etag?: string): Promise<{ notModified: boolean; etag?: string; body?: T }> {
    const headers: Record<string, string> = etag ? { 'if-none-match': etag } : {};
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { ...this.auth(), ...headers } });
    if (response.status === 304) return { notModified: true, etag };
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return { notModified: false, etag: response.headers.get('etag') ?? undefined, body: (await response.json()) as T };
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.send<T>('POST', path, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  /** multipart/form-data (model files, image sets). */
  form<T>(path: string, form: FormData): Promise<T> {
    return this.send<T>('POST', path, form);
  }

  /** An image body with headers (x-unit-id for experiments). */
  image<T>(path: string, bytes: Buffer, headers: Record<string, string>): Promise<T> {
    return this.send<T>('POST', path, new Uint8Array(bytes), { 'content-type': 'image/png', ...headers });
  }

  private async send<T>(
    method: string,
    path: string,
    body?: RequestInit['body'],
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${this.baseUrl}${path}`, { method, body, headers: { ...this.auth(), ...headers } });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private auth(): Record<string, string> {
    return this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {};
  }
}
