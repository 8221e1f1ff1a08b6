import { EraseAccountForm } from "@/components/account/erase-account-form";
import { Card } from "@/components/ui/card";

/**
 * A person's own data (GDPR): the download of everything Ringbearer holds of them, and erasure. On their account
 * page, and on the home page of someone who belongs to no organization (nothing else would reach them).
 */
export function AccountData() {
  return (
    <>
      <Card>
        <section className="space-y-2 p-4" aria-labelledby="data-title">
          <h2 id="data-title" className="text-lg font-semibold">
            Your data
          </h2>
          <p className="text-sm text-gray-700">
            Your profile, sessions, memberships and what the audit trail records of your actions, in every
            organization you belong to, as JSON. Never a secret value.
          </p>
          <a href="/api/account/export" className="text-sm font-medium text-indigo-700 underline" download>
            Download my data
          </a>
        </section>
      </Card>
      <Card>
        <section className="space-y-3 p-4" aria-labelledby="erase-title">
          <h2 id="erase-title" className="text-lg font-semibold">
            Erase my account
          </h2>
          <p className="text-sm text-gray-700">
            Removes your name, e-mail address, password, second factor and sessions, and the addresses and
            browsers the audit trail recorded of you. Download your data first if you want a copy. An
            organization you own alone needs another owner first.
          </p>
          <EraseAccountForm />
        </section>
      </Card>
    </>
  );
}
