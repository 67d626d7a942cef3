/**
 * The export endpoint's query: the list's filters plus `columns=`. Parsed by
 * the route, built by the export button. No server imports.
 */
import { isProblem, oneOfParam, type ParseResult } from "@/lib/api/query-params";
import type { ProviderId, UsersFilters, UsersSource } from "@/lib/users/schema";
import { filtersToSearchParams, parseUsersFilters, USERS_SOURCES } from "@/lib/users/contract";

import { EXPORT_COLUMNS, type ExportColumn } from "./columns";

export const EXPORT_PARAMS = ["status", "email", "groups", "columns", "source"] as const;

export interface ExportQuery {
  /** `groups` is true exactly when the groups/projects column is exported. */
  filters: UsersFilters;
  columns: readonly ExportColumn[];
  /** The vendor, live (default), or the directory's current snapshot. */
  source: UsersSource;
}

/**
 * Without `columns=`, every column is exported, the groups/projects column only
 * with `groups=true` (as the list includes groups only then). With `columns=`,
 * exactly those columns in that order; naming the groups column fetches groups.
 */
export function parseExportQuery(
  provider: ProviderId,
  params: URLSearchParams,
): ParseResult<ExportQuery> {
  const filters = parseUsersFilters(params, EXPORT_PARAMS);
  if (!filters.ok) return filters;
  const source = oneOfParam(params, "source", USERS_SOURCES) ?? "vendor";
  if (isProblem(source)) return source;

  const all: readonly ExportColumn[] = EXPORT_COLUMNS[provider];
  const raw = params.get("columns");
  let columns: readonly ExportColumn[];
  if (raw === null) {
    columns = filters.value.groups ? all : all.filter((column) => !column.groups);
  } else {
    const valid = all.map((column) => column.id).join(", ");
    const ids = raw.split(",").map((part) => part.trim());
    const picked: ExportColumn[] = [];
    for (const columnId of ids) {
      const column = all.find((c) => c.id === columnId);
      if (!column) {
        const what = columnId === "" ? "an empty column id" : `unknown column "${columnId}"`;
        return {
          ok: false,
          param: "columns",
          message: `columns has ${what}; valid ids for ${provider}: ${valid}`,
        };
      }
      if (picked.includes(column)) {
        return {
          ok: false,
          param: "columns",
          message: `columns lists "${columnId}" more than once`,
        };
      }
      picked.push(column);
    }
    columns = picked;
  }
  return {
    ok: true,
    value: {
      filters: { ...filters.value, groups: columns.some((c) => c.groups) },
      columns,
      source,
    },
  };
}

/** The export URL's query for a view's filters and chosen column ids. */
export function exportSearchParams(
  filters: UsersFilters,
  columnIds?: readonly string[],
  source: UsersSource = "vendor",
): URLSearchParams {
  const params = filtersToSearchParams(filters);
  if (columnIds) params.set("columns", columnIds.join(","));
  if (source !== "vendor") params.set("source", source);
  return params;
}

export function exportPath(
  provider: ProviderId,
  filters: UsersFilters,
  columnIds?: readonly string[],
  source: UsersSource = "vendor",
): string {
  const query = exportSearchParams(filters, columnIds, source).toString();
  return `/api/${provider}/users/export${query ? `?${query}` : ""}`;
}
