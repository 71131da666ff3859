// The formula palette: the common tasks, each a filled-in JSONata call (DESIGN §10) around the value the
// formula had (or a field of the sample when it had none). Pure.

export interface FormulaTemplate {
  id: string;
  label: string;
  hint: string;
  /** The formula for `arg`, a JSONata expression (e.g. `payload.total`). */
  build: (arg: string) => string;
}

/** Wrap an argument that is more than a path in parentheses, so `a + b` stays one argument. */
const group = (arg: string) => (/^[\w$.`[\]]+$/.test(arg) ? arg : `(${arg})`);

export const FORMULAS: FormulaTemplate[] = [
  {
    id: "formatDate",
    label: "Format date",
    hint: "31/12/2026 from an ISO date or epoch milliseconds",
    build: (a) => `$formatDate(${a}, '[D01]/[M01]/[Y0001]')`,
  },
  {
    id: "formatNumber",
    label: "Format number",
    hint: "1,234.50",
    build: (a) => `$formatNumber(${a}, '#,##0.00')`,
  },
  {
    id: "currency",
    label: "Currency",
    hint: "EUR 1,234.50",
    build: (a) => `'EUR ' & $formatNumber(${a}, '#,##0.00')`,
  },
  { id: "centsToDecimal", label: "Cents → decimal", hint: "1299 → 12.99", build: (a) => `${group(a)} / 100` },
  {
    id: "decimalToCents",
    label: "Decimal → cents",
    hint: "12.99 → 1299",
    build: (a) => `$round(${group(a)} * 100)`,
  },
  { id: "upper", label: "Uppercase", hint: "ada → ADA", build: (a) => `$uppercase(${a})` },
  { id: "lower", label: "Lowercase", hint: "ADA → ada", build: (a) => `$lowercase(${a})` },
  {
    id: "default",
    label: "Default value",
    hint: "a fallback when the field is missing",
    build: (a) => `$default(${a}, 'n/a')`,
  },
  { id: "join", label: "Join a list", hint: "a, b, c", build: (a) => `$join(${a}, ', ')` },
  {
    id: "lookup",
    label: "Lookup table",
    hint: "BR → Brazil",
    build: (a) => `$lookup({"BR": "Brazil", "AR": "Argentina"}, ${a})`,
  },
  {
    id: "ifElse",
    label: "If / else",
    hint: "one value or another by a condition",
    build: (a) => `${group(a)} > 100 ? 'large' : 'small'`,
  },
];

/** The formula a template gives for the current one (its argument), or for `fallback` when it is empty. */
export function applyFormula(template: FormulaTemplate, current: string, fallback: string): string {
  const arg = current.trim() === "" ? fallback : current.trim();
  return template.build(arg);
}
