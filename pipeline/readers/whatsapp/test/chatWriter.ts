/**
 * Writes WhatsApp exports in the layouts of FORMATS.md §2.3, for round-trip tests. Each layout is a header
 * formatter; the writer joins headers, texts and continuation lines the way the apps do.
 */

export interface ChatLine {
  author: string | null;
  text: string;
  /** UTC wall time in ms. */
  timestamp: number;
}

export interface Layout {
  name: string;
  /** Whether the layout shows seconds (iOS always does); otherwise times are minute resolution. */
  seconds: boolean;
  header(t: Date): string;
}

const p2 = (n: number): string => String(n).padStart(2, "0");
const NBSP = "\u00A0";
const NNBSP = "\u202F";

function parts(t: Date) {
  const h = t.getUTCHours();
  return {
    d: t.getUTCDate(),
    m: t.getUTCMonth() + 1,
    y: t.getUTCFullYear(),
    yy: p2(t.getUTCFullYear() % 100),
    h,
    h12: h % 12 === 0 ? 12 : h % 12,
    pm: h >= 12,
    mi: p2(t.getUTCMinutes()),
    s: p2(t.getUTCSeconds()),
  };
}

export const LAYOUTS: readonly Layout[] = [
  {
    name: "Android en-US 2023+ (U+202F before PM)",
    seconds: false,
    header: (t) => {
      const x = parts(t);
      return `${x.m}/${x.d}/${x.yy}, ${x.h12}:${x.mi}${NNBSP}${x.pm ? "PM" : "AM"} - `;
    },
  },
  {
    name: "Android en-US old (space before PM)",
    seconds: false,
    header: (t) => {
      const x = parts(t);
      return `${x.m}/${x.d}/${x.yy}, ${x.h12}:${x.mi} ${x.pm ? "PM" : "AM"} - `;
    },
  },
  {
    name: "Android en-GB 24h dd/mm/yyyy",
    seconds: false,
    header: (t) => {
      const x = parts(t);
      return `${p2(x.d)}/${p2(x.m)}/${x.y}, ${p2(x.h)}:${x.mi} - `;
    },
  },
  {
    name: "Android en-IN lower-case am/pm",
    seconds: false,
    header: (t) => {
      const x = parts(t);
      return `${p2(x.d)}/${p2(x.m)}/${x.y}, ${x.h12}:${x.mi} ${x.pm ? "pm" : "am"} - `;
    },
  },
  {
    name: "Android de dd.mm.yy 24h",
    seconds: false,
    header: (t) => {
      const x = parts(t);
      return `${p2(x.d)}.${p2(x.m)}.${x.yy}, ${p2(x.h)}:${x.mi} - `;
    },
  },
  {
    name: "Android es `p. m.` with NBSP",
    seconds: false,
    header: (t) => {
      const x = parts(t);
      return `${x.d}/${x.m}/${x.yy}, ${x.h12}:${x.mi} ${x.pm ? "p." : "a."}${NBSP}m. - `;
    },
  },
  {
    name: "Android es `p.m.`",
    seconds: false,
    header: (t) => {
      const x = parts(t);
      return `${p2(x.d)}/${p2(x.m)}/${x.y}, ${p2(x.h12)}:${x.mi} ${x.pm ? "p.m." : "a.m."} - `;
    },
  },
  {
    name: "Android dashes, dotted time",
    seconds: false,
    header: (t) => {
      const x = parts(t);
      return `${p2(x.d)}-${p2(x.m)}-${x.y}, ${p2(x.h12)}.${x.mi} ${x.pm ? "PM" : "AM"} - `;
    },
  },
  {
    name: "Android year first",
    seconds: false,
    header: (t) => {
      const x = parts(t);
      return `${x.y}/${p2(x.m)}/${p2(x.d)}, ${p2(x.h)}:${x.mi} - `;
    },
  },
  {
    name: "Android ISO-like, no comma",
    seconds: false,
    header: (t) => {
      const x = parts(t);
      return `${x.y}-${p2(x.m)}-${p2(x.d)} ${p2(x.h)}:${x.mi} - `;
    },
  },
  {
    name: "Finnish `klo`, dotted time with seconds",
    seconds: true,
    header: (t) => {
      const x = parts(t);
      return `${x.d}.${x.m}.${x.y} klo ${x.h}.${x.mi}.${x.s} - `;
    },
  },
  {
    name: "Croatian spaced dots",
    seconds: true,
    header: (t) => {
      const x = parts(t);
      return `${x.d}. ${x.m}. ${x.y}. ${p2(x.h)}:${x.mi}:${x.s} - `;
    },
  },
  {
    name: "dotted, colon separator",
    seconds: true,
    header: (t) => {
      const x = parts(t);
      return `${p2(x.d)}.${p2(x.m)}.${x.yy} ${p2(x.h)}.${x.mi}.${x.s}: `;
    },
  },
  {
    name: "iOS de [dd.mm.yy, HH:mm:ss]",
    seconds: true,
    header: (t) => {
      const x = parts(t);
      return `[${p2(x.d)}.${p2(x.m)}.${x.yy}, ${p2(x.h)}:${x.mi}:${x.s}] `;
    },
  },
  {
    name: "iOS en-US [m/d/yy, h:mm:ss AM]",
    seconds: true,
    header: (t) => {
      const x = parts(t);
      return `[${x.m}/${x.d}/${x.yy}, ${x.h12}:${x.mi}:${x.s}${NNBSP}${x.pm ? "PM" : "AM"}] `;
    },
  },
  {
    name: "iOS es no comma `p. m.`",
    seconds: true,
    header: (t) => {
      const x = parts(t);
      return `[${x.d}/${x.m}/${x.yy} ${x.h12}:${x.mi}:${x.s} ${x.pm ? "p. m." : "a. m."}] `;
    },
  },
  {
    name: "iOS year first [yyyy/m/d, HH:mm:ss]",
    seconds: true,
    header: (t) => {
      const x = parts(t);
      return `[${x.y}/${x.m}/${x.d}, ${p2(x.h)}:${x.mi}:${x.s}] `;
    },
  },
  {
    name: "iOS zh 下午 before the time",
    seconds: true,
    header: (t) => {
      const x = parts(t);
      return `[${x.y}/${x.m}/${x.d} ${x.pm ? "下午" : "上午"}${x.h12}:${x.mi}:${x.s}] `;
    },
  },
  {
    name: "iOS fi [d.m.yyyy, H.mm.ss]",
    seconds: true,
    header: (t) => {
      const x = parts(t);
      return `[${x.d}.${x.m}.${x.y}, ${x.h}.${x.mi}.${x.s}] `;
    },
  },
];

export interface WriteOptions {
  crlf?: boolean;
  bom?: boolean;
  /** iOS-style U+200E before every header. */
  leadingMark?: boolean;
}

export function writeChat(layout: Layout, lines: readonly ChatLine[], options: WriteOptions = {}): string {
  const eol = options.crlf ? "\r\n" : "\n";
  const out: string[] = [];
  for (const line of lines) {
    const head = `${options.leadingMark ? "\u200E" : ""}${layout.header(new Date(line.timestamp))}`;
    const body = line.author === null ? line.text : `${line.author}: ${line.text}`;
    out.push(head + body.split("\n").join(eol));
  }
  return (options.bom ? "\uFEFF" : "") + out.join(eol) + eol;
}
