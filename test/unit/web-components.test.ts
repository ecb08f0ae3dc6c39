import { describe, expect, it } from "vitest";
import type { Explanation } from "../../src/matching/model.js";
import {
  badge,
  differingFields,
  figure,
  recordCompare,
  section,
  statGrid,
  table,
  toc,
  waterfall,
} from "../../src/web/components.js";
import { formatNumber, formatPercent, formatWeight } from "../../src/web/format.js";
import { raw } from "../../src/web/html.js";

describe("table", () => {
  const out = table({
    caption: "Rules <all>",
    columns: [
      { key: "rule", label: "Rule" },
      { key: "pairs", label: "Pairs", align: "right" },
      { key: "note", label: "Note" },
    ],
    rows: [
      { rule: "same-email", pairs: 1200, note: null },
      { rule: "<b>x</b>", pairs: 0.5, note: { a: 1 } },
    ],
  }).text;

  it("has a caption, column headers with scope, and row headers", () => {
    expect(out).toContain("<caption>Rules &lt;all&gt;</caption>");
    expect(out).toContain('<th scope="col">Rule</th>');
    expect(out).toContain('<th scope="col" class="align-right">Pairs</th>');
    expect(out.match(/<th scope="row"/g)).toHaveLength(2);
  });

  it("formats numbers, escapes text, shows empties muted and objects as JSON", () => {
    expect(out).toContain(">1,200<");
    expect(out).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(out).toContain('<span class="empty">(empty)</span>');
    expect(out).toContain("{&quot;a&quot;:1}");
  });

  it("sits in a named, focusable scrolling region", () => {
    expect(out).toContain(
      '<div class="table-scroll" role="region" aria-label="Rules &lt;all&gt;" tabindex="0">',
    );
  });

  it("says so when there are no rows", () => {
    expect(table({ caption: "c", columns: [{ key: "a", label: "A" }], rows: [] }).text).toContain("No rows");
  });
});

describe("recordCompare", () => {
  const a = {
    label: "CRM 17",
    values: { name: "Ada Lovelace", email: "ada@x.org", phone: null, age: 36, city: "" },
  };
  const b = {
    label: "ERP 4",
    values: { name: "Ada Lovelace", email: "ADA@x.org", phone: "+44 20", age: "36" },
  };
  const fields = ["name", "email", "phone", "age", "city"];

  it("finds exactly the fields that differ as shown", () => {
    expect(differingFields(fields, a, b)).toEqual(["email", "phone"]);
  });

  it("marks exactly the differing rows, with a class, a visible ≠ and a label", () => {
    const out = recordCompare({ fields, a, b }).text;
    const rows = [
      ...out.matchAll(/<tr( class="diff")? data-field="([^"]+)">\s*<th scope="row">(.*?)<\/th>/g),
    ];
    expect(rows.map((r) => r[2])).toEqual(fields);
    const marked = rows.filter((r) => r[1] !== undefined).map((r) => r[2]);
    expect(marked).toEqual(["email", "phone"]);
    for (const r of rows) {
      const hasMarker = (r[3] as string).includes(
        '<span class="diff-marker" role="img" aria-label="differs">≠</span>',
      );
      expect(hasMarker).toBe(r[1] !== undefined);
    }
    expect(out).toContain("(2 of 5 fields differ)");
  });

  it("shows nulls and blanks as a muted (empty), and labels the columns by record", () => {
    const out = recordCompare({ fields, a, b }).text;
    expect(out.match(/<span class="empty">\(empty\)<\/span>/g)).toHaveLength(3);
    expect(out).toContain('<th scope="col">CRM 17</th><th scope="col">ERP 4</th>');
  });

  it("escapes hostile field names and values", () => {
    const out = recordCompare({
      fields: ['"><script>'],
      a: { label: "<a>", values: { '"><script>': "<img onerror=x>" } },
      b: { label: "b", values: {} },
    }).text;
    expect(out).not.toMatch(/<script|<img|<a>/);
  });
});

describe("waterfall", () => {
  const explanation: Explanation = {
    prior: -10,
    comparisons: [
      { comparison: "name", level: "exact", weight: 8.5 },
      { comparison: "email", level: "different", weight: -2.25 },
      { comparison: "phone", level: "null", weight: 0 },
    ],
    match_weight: -3.75,
    probability: 1 / (1 + 2 ** 3.75),
  };
  const out = waterfall(explanation).text;

  it("prints every weight as signed text, the sum and the probability as a percentage", () => {
    const weights = [...out.matchAll(/<td class="align-right">([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(weights).toEqual(["\u221210.00", "+8.50", "\u22122.25", "0.00", "\u22123.75", "6.9%"]);
    expect(out).toContain('<th scope="row">name</th>\n<td>exact</td>');
  });

  it("scales bars to the largest weight, growing right for and left against", () => {
    const bars = [...out.matchAll(/class="wf-bar (wf-\w+)" style="left: ([\d.]+)%; width: ([\d.]+)%"/g)].map(
      (m) => [m[1], Number(m[2]), Number(m[3])],
    );
    expect(bars).toEqual([
      ["wf-prior", 0, 50],
      ["wf-pos", 50, 42.5],
      ["wf-neg", 38.75, 11.25],
      ["wf-pos", 50, 0],
      ["wf-total", 31.25, 18.75],
    ]);
  });

  it("keeps the bars out of the accessibility tree, the numbers being in the table", () => {
    expect(out.match(/<div class="wf-track" aria-hidden="true">/g)).toHaveLength(5);
  });
});

describe("statGrid, badge, section, toc, figure", () => {
  it("makes summary cards as a description list", () => {
    const out = statGrid([
      { label: "Pairs", value: 12345, hint: "scored" },
      { label: "Rate", value: "98%" },
    ]).text;
    expect(out).toContain(
      '<dt>Pairs</dt>\n<dd class="stat-value">12,345</dd>\n<dd class="stat-hint">scored</dd>',
    );
    expect(out).toContain('<dd class="stat-value">98%</dd>');
    expect(out.match(/stat-hint/g)).toHaveLength(1);
  });

  it("gives each badge a symbol as well as a colour", () => {
    expect(badge("merge").text).toBe(
      '<span class="badge badge-merge"><span aria-hidden="true">✓</span>merge</span>',
    );
    expect(badge("queue").text).toContain("queue");
    expect(badge("never-merge", "blocked").text).toContain(
      'badge-never-merge"><span aria-hidden="true">✕</span>blocked',
    );
  });

  it("labels a section by its heading and links to it from the contents", () => {
    const s = section({ id: "scores", title: "Scores", body: raw("<p>x</p>") }).text;
    expect(s).toContain('<section id="scores" aria-labelledby="scores-title">');
    expect(s).toContain('<h2 id="scores-title">Scores</h2>');
    expect(section({ id: "a", title: "A", body: raw(""), level: 3 }).text).toContain('<h3 id="a-title">');
    expect(toc([{ id: "scores", title: "Scores" }]).text).toContain('<a href="#scores">Scores</a>');
  });

  it("captions a chart", () => {
    expect(figure({ chart: raw("<svg></svg>"), caption: "Scores" }).text).toContain(
      "<svg></svg>\n<figcaption>Scores</figcaption>",
    );
  });
});

describe("number formats", () => {
  it("formats counts, weights and probabilities the same on every machine", () => {
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatNumber(0.12345)).toBe("0.123");
    expect(formatWeight(3.14159)).toBe("+3.14");
    expect(formatWeight(-0.001)).toBe("0.00");
    expect(formatPercent(0.5)).toBe("50.0%");
    expect(formatPercent(0.99996)).toBe("> 99.9%");
    expect(formatPercent(0.00001)).toBe("< 0.1%");
    expect(formatPercent(1)).toBe("100.0%");
    expect(formatPercent(0)).toBe("0.0%");
  });
});
