/**
 * An activity entry in words ("Telnyx sync succeeded: 2,500 users in 0.5 s,
 * snapshot 3") instead of its details' keys. Reads the details defensively:
 * an entry written by another version of Roster, or of a kind this page does
 * not know, gets null, and the page shows its raw details instead.
 */
import { formatCount } from "@/lib/users/format-count";
import { PROVIDER_LABELS } from "@/lib/users/contract";

type Details = Record<string, unknown>;

const num = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;
const str = (value: unknown): string | null => (typeof value === "string" ? value : null);

function vendor(value: unknown): string | null {
  return value === "telnyx" || value === "openai" ? PROVIDER_LABELS[value] : null;
}

function vendors(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const labels = value.map(vendor);
  return labels.every((label) => label !== null) ? labels.join(" and ") : null;
}

function seconds(ms: unknown): string | null {
  const n = num(ms);
  if (n === null) return null;
  return n < 10_000 ? `${(n / 1000).toFixed(1)} s` : `${formatCount(Math.round(n / 1000))} s`;
}

function bytes(value: unknown): string | null {
  const n = num(value);
  if (n === null) return null;
  if (n < 1000) return `${formatCount(n)} bytes`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/** "1 row", "2,500 rows". */
function plural(value: unknown, one: string, many = `${one}s`): string | null {
  const n = num(value);
  return n === null ? null : `${formatCount(n)} ${n === 1 ? one : many}`;
}

/**
 * A sync's users whose activity alone moved (a sign-in, an API key's use):
 * no change Changes lists, their current version took the new time.
 */
function activityUpdated(value: unknown): string | null {
  const n = num(value);
  return n === null || n === 0 ? null : `; ${plural(n, "user's", "users'")} last activity updated`;
}

/** Joins the parts that are known; null when a required one is not. */
function sentence(required: (string | null)[], optional: (string | null | false)[] = []) {
  if (required.some((part) => part === null)) return null;
  return [...required, ...optional.filter((part): part is string => Boolean(part))].join("");
}

/**
 * What an export kept, from the filters its entry logged: ", status blocked,
 * an email filter" (users), ", flags dormant + privileged, in Telnyx"
 * (People), ", from snapshot 2, removed users only" (Changes). Empty when it
 * kept everything or the filters are not readable.
 */
function exportFilters(list: unknown, value: unknown): string {
  if (typeof value !== "object" || value === null) return "";
  const f = value as Details;
  const parts: (string | null)[] = [];
  if (list === "changes") {
    // A snapshot id, or the time asked for when no snapshot was that early.
    const from = str(f.from);
    parts.push(from && (/^\d+$/.test(from) ? `from snapshot ${from}` : `from ${from}`));
    parts.push(
      str(f.field)
        ? `${str(f.field)} changes only`
        : str(f.change) && `${str(f.change)} users only`,
    );
  } else if (list === "people") {
    const flags = Array.isArray(f.flags)
      ? f.flags.filter((x): x is string => typeof x === "string")
      : [];
    if (flags.length > 0)
      parts.push(`flags ${flags.map((x) => x.replaceAll("_", " ")).join(" + ")}`);
    parts.push(vendors(f.vendors) && `in ${vendors(f.vendors)}`);
  } else {
    parts.push(str(f.status) && `status ${str(f.status)}`);
  }
  if (f.email === true) parts.push("an email filter");
  return parts
    .filter(Boolean)
    .map((part) => `, ${part}`)
    .join("");
}

const SUMMARIES: Record<string, (d: Details) => string | null> = {
  "auth.sign_in": (d) => {
    const how =
      d.method === "oidc" ? "single sign-on" : d.method === "credentials" ? "password" : null;
    if (how === null) return null;
    const from = str(d.address) ? ` from ${str(d.address)}` : "";
    if (d.outcome === "success") return sentence([`Signed in with ${how}`]);
    if (d.outcome === "failure") {
      return sentence(
        [`Sign-in with ${how} failed`],
        [str(d.reason) && ` (${str(d.reason)})`, from],
      );
    }
    if (d.outcome === "throttled") {
      return sentence([`Sign-in with ${how} refused: too many failed attempts`], [from]);
    }
    return null;
  },
  "auth.sign_out": () => "Signed out",
  "directory.sync": (d) => {
    const name = vendor(d.provider);
    if (name === null) return null;
    const snapshot = num(d.snapshotId) === null ? "" : `, snapshot ${num(d.snapshotId)}`;
    const took = seconds(d.durationMs);
    switch (d.outcome) {
      case "started":
        return sentence([`${name} sync started`], [snapshot]);
      case "cancel_requested":
        return sentence([`Asked the ${name} sync to stop`], [snapshot]);
      case "succeeded":
        return sentence(
          [`${name} sync succeeded: `, plural(d.rows, "user")],
          [took && ` in ${took}`, snapshot, activityUpdated(d.activityUpdated)],
        );
      case "failed":
        return sentence(
          [`${name} sync failed`],
          [str(d.error) && ` (${str(d.error)})`, took && ` after ${took}`, snapshot],
        );
      case "cancelled":
        return sentence([`${name} sync cancelled`], [took && ` after ${took}`, snapshot]);
      default:
        return null;
    }
  },
  "export.started": (d) => {
    const list = d.list === "people" ? "People" : d.list === "changes" ? "Changes" : "users";
    const of = d.list === "people" ? "" : `${vendor(d.provider)} `;
    const from =
      d.source === "vendor"
        ? `live from ${vendor(d.provider)}`
        : num(d.snapshotId) !== null
          ? `directory snapshot ${num(d.snapshotId)}`
          : d.source === "directory"
            ? "directory"
            : null;
    const columns = Array.isArray(d.columns) ? `, ${plural(d.columns.length, "column")}` : "";
    if (d.list !== "people" && vendor(d.provider) === null) return null;
    return sentence(
      [`CSV export of ${of}${list} started: `, from],
      [exportFilters(d.list, d.filters), columns],
    );
  },
  "export.finished": (d) => {
    const id = num(d.exportId) === null ? "" : ` (#${num(d.exportId)})`;
    const rows = plural(d.rows, "row");
    const size = bytes(d.bytes);
    if (d.outcome === "ok") {
      return sentence([`CSV export${id} finished: `, rows, `, `, size], [sha(d.sha256)]);
    }
    if (d.outcome === "failed") {
      return sentence(
        [`CSV export${id} failed`],
        [str(d.error) && ` (${str(d.error)})`, rows && ` after ${rows}`],
      );
    }
    if (d.outcome === "cancelled")
      return sentence([`CSV export${id} cancelled`], [rows && ` after ${rows}`]);
    return null;
  },
  "roster.upload": (d) => {
    if (d.outcome === "ok") {
      return sentence(
        [
          "HR roster uploaded",
          upload(d.uploadId) ?? "",
          ": ",
          plural(d.rows, "row"),
          ", ",
          bytes(d.bytes),
        ],
        [sha(d.sha256)],
      );
    }
    if (d.outcome === "rejected") {
      return sentence(
        [`HR roster refused`],
        [str(d.error) && ` (${str(d.error)})`, bytes(d.bytes) && `: ${bytes(d.bytes)}`],
      );
    }
    return null;
  },
  "roster.removed": (d) => sentence(["HR roster removed", upload(d.uploadId)]),
  "offboarding.check": (d) =>
    sentence(
      [
        "Offboarding check of ",
        plural(d.addresses, "address", "addresses"),
        ": ",
        formatCountOrNull(d.stillWithAccess),
        " still with access",
      ],
      [
        num(d.notChecked) ? `, ${formatCount(num(d.notChecked)!)} not checked` : "",
        seconds(d.durationMs) && ` (${seconds(d.durationMs)})`,
      ],
    ),
  "review.created": (d) =>
    sentence([
      review(d.reviewId),
      " started: ",
      plural(d.items, "account"),
      " in ",
      vendors(d.providers),
    ]),
  "review.decided": (d) => {
    const parts = [
      ["keep", d.keep],
      ["revoke", d.revoke],
      ["follow up", d.follow_up],
    ]
      .filter(([, n]) => num(n))
      .map(([label, n]) => `${label} ${formatCount(num(n)!)}`);
    return sentence(
      [review(d.reviewId), ": ", plural(d.items, "decision")],
      [parts.length > 0 && ` (${parts.join(", ")})`],
    );
  },
  "review.closed": (d) =>
    sentence(
      [review(d.reviewId), " closed: ", plural(d.items, "account")],
      [
        str(d.csvSha256) && `; evidence.csv sha256 ${str(d.csvSha256)}`,
        str(d.jsonSha256) && `; evidence.json sha256 ${str(d.jsonSha256)}`,
      ],
    ),
  "review.downloaded": (d) =>
    sentence(
      [review(d.reviewId), ": downloaded ", str(d.file), " (", plural(d.rows, "row"), ")"],
      [sha(d.sha256)],
    ),
  "activity.exported": (d) => {
    const outcome =
      d.outcome === "ok"
        ? "exported"
        : d.outcome === "failed"
          ? "export failed"
          : d.outcome === "cancelled"
            ? "export cancelled"
            : null;
    if (outcome === null) return null;
    return sentence(
      [`Activity log ${outcome}: `, plural(d.rows, "entry", "entries")],
      [d.outcome === "ok" && sha(d.sha256)],
    );
  },
  "activity.pruned": (d) =>
    sentence([
      "Retention deleted ",
      plural(d.deleted, "entry", "entries"),
      " through #",
      num(d.throughSeq) === null ? null : String(num(d.throughSeq)),
      "; the chain now starts at hash ",
      str(d.anchorHash),
    ]),
};

const review = (id: unknown) => (num(id) === null ? null : `Review #${num(id)}`);
const upload = (id: unknown) => (num(id) === null ? null : ` (upload ${num(id)})`);

function formatCountOrNull(value: unknown): string | null {
  const n = num(value);
  return n === null ? null : formatCount(n);
}

function sha(value: unknown): string | null {
  return str(value) ? `, sha256 ${str(value)}` : null;
}

export function entrySummary(kind: string, details: Details): string | null {
  const summarize = Object.hasOwn(SUMMARIES, kind) ? SUMMARIES[kind] : undefined;
  return summarize ? summarize(details) : null;
}
