// WWW-Authenticate parsing (RFC 7235 challenges): several challenges per header, quoted strings with escapes,
// case-insensitive schemes and parameter names.
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseWwwAuthenticate(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const values = Array.isArray(header) ? header : [header];
  const out: Challenge[] = [];
  for (const value of values) {
    let i = 0;
    const s = value;
    let current: Challenge | undefined;
    const skipWs = () => {
      while (i < s.length && /[\s,]/.test(s[i]!)) i++;
    };
    const token = () => {
      const start = i;
      while (i < s.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(s[i]!)) i++;
      return s.slice(start, i);
    };
    while (i < s.length) {
      skipWs();
      const t = token();
      if (!t) {
        i++;
        continue;
      }
      let j = i;
      while (j < s.length && s[j] === ' ') j++;
      if (s[j] === '=' && current) {
        i = j + 1;
        while (s[i] === ' ') i++;
        let v = '';
        if (s[i] === '"') {
          i++;
          while (i < s.length && s[i] !== '"') {
            if (s[i] === '\\' && i + 1 < s.length) i++;
            v += s[i];
            i++;
          }
          i++;
        } else {
          const start = i;
          while (i < s.length && s[i] !== ',') i++;
          v = s.slice(start, i).trim();
        }
        current.params[t.toLowerCase()] = v;
      } else {
        current = { scheme: t.toLowerCase(), params: {} };
        out.push(current);
      }
    }
  }
  return out;
}
