/** Lower-case ASCII letters and digits joined by single dashes: "Big Red  Chair!" -> "big-red-chair". */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
