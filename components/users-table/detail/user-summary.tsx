import type { ReactNode } from "react";

import { Chips } from "@/components/ui/chips";
import { EmptyValue } from "@/components/ui/truncated-text";
import { roleLabel } from "@/lib/users/column-kinds";
import { GROUPS_LABEL, columnLabels } from "@/lib/users/columns";
import { formatExact, parseDate } from "@/lib/users/format-date";
import type { ProviderId, User } from "@/lib/users/schema";

function ExactDate({ iso, emptyLabel }: { iso: string | null; emptyLabel?: string }) {
  const date = parseDate(iso);
  if (!date || iso === null) return emptyLabel ? <>{emptyLabel}</> : <EmptyValue />;
  return <time dateTime={iso}>{formatExact(date)}</time>;
}

/** Roster's normalized fields, with dates written out in full. */
export function UserSummary({ provider, user }: { provider: ProviderId; user: User }) {
  const labels = columnLabels(provider);
  const fields: Array<[string, ReactNode]> = [
    ["Name", user.name ?? <EmptyValue />],
    ["Email", user.email ?? <EmptyValue />],
    ["Role", roleLabel(user.role) ?? <EmptyValue />],
    [labels.createdAt ?? "Created", <ExactDate key="c" iso={user.createdAt} />],
    [
      labels.lastActiveAt ?? "Last active",
      <ExactDate key="l" iso={user.lastActiveAt} emptyLabel="Never" />,
    ],
    [
      "ID",
      <span key="id" className="font-mono break-all">
        {user.id}
      </span>,
    ],
  ];
  if (user.groups !== null) {
    const noun = GROUPS_LABEL[provider];
    fields.push([
      labels.groups ?? "Groups",
      <Chips key="g" items={user.groups} noun={noun} max={Infinity} />,
    ]);
  }
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-3 text-sm sm:grid-cols-[11rem_1fr]">
      {fields.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
          <dd className="min-w-0 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
