/**
 * An HTTP caller of the app under test, as a browser would be: it keeps cookies, sends the app's Origin,
 * never follows redirects (a test sees them), and signs in through next-auth's Credentials provider.
 */
import { inject } from "vitest";

export type Answer = { status: number; headers: Headers; body: string };

export class HttpSession {
  readonly baseUrl: string;
  private readonly cookies = new Map<string, string>();

  constructor(baseUrl: string = inject("baseUrl")) {
    this.baseUrl = baseUrl;
  }

  /** A session that is signed out (no cookies at all). */
  static anonymous(baseUrl?: string): HttpSession {
    return new HttpSession(baseUrl);
  }

  /**
   * Signs in over HTTP (GET /api/auth/csrf, then POST /api/auth/callback/credentials) and checks it took.
   * `baseUrl` for an app other than the project's shared one.
   */
  static async signIn(
    email: string,
    password: string,
    extra: Record<string, string> = {},
    baseUrl: string = inject("baseUrl"),
  ) {
    const session = new HttpSession(baseUrl);
    const csrf = await session.request("/api/auth/csrf");
    const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
    const answer = await session.request("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email, password, ...extra }).toString(),
    });
    const who = JSON.parse((await session.request("/api/auth/session")).body) as {
      user?: { email?: string };
    };
    if (who.user?.email !== email)
      throw new Error(`Signing in as ${email} failed: ${answer.status} ${answer.headers.get("location")}`);
    return session;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** One request relative to the app (or an absolute URL); cookies are sent and updated. */
  async request(
    pathOrUrl: string,
    init: { method?: string; headers?: Record<string, string>; body?: BodyInit } = {},
  ): Promise<Answer> {
    const url = /^https?:/.test(pathOrUrl) ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    const headers: Record<string, string> = { origin: this.baseUrl, ...init.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers,
      body: init.body,
      redirect: "manual",
    });
    this.remember(response.headers);
    // An event stream never ends by itself: a test gets its status and headers, not its body.
    if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
      await response.body?.cancel();
      return { status: response.status, headers: response.headers, body: "" };
    }
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  private remember(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
