import { withAuth } from "next-auth/middleware";

/** Anonymous visitors to the console are sent to the sign-in page; the server re-checks every session. */
export default withAuth({ pages: { signIn: "/login" } });

export const config = { matcher: ["/", "/o/:path*"] };
