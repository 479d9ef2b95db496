// Plural rules vue-i18n does not know: Russian (one | few | many) and
// Romanian (one | few | other), three forms each, as in CLDR.

/** 1, 21, 101 → 0; 2–4, 22–24 → 1; 0, 5–20, 25–30, 111–114 → 2. */
export function russian(choice: number, choicesLength: number): number {
  const n = Math.abs(Math.trunc(choice))
  if (choicesLength < 3) return n === 1 ? 0 : 1
  const mod10 = n % 10
  const mod100 = n % 100
  if (mod10 === 1 && mod100 !== 11) return 0
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 1
  return 2
}

/** 1 → 0; 0, 2–19, 101–119 → 1; 20+, 100 → 2 ("20 de colete"). */
export function romanian(choice: number, choicesLength: number): number {
  const n = Math.abs(Math.trunc(choice))
  if (n === 1) return 0
  if (choicesLength < 3) return 1
  const mod100 = n % 100
  if (n === 0 || (mod100 >= 1 && mod100 <= 19)) return 1
  return 2
}
