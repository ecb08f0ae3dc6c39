import { describe, expect, it } from "vitest";
import { attr, escapeHtml, html, join, raw } from "../../src/web/html.js";
import { contentSecurityPolicy, page } from "../../src/web/page.js";

const HOSTILE = [
  "<script>alert(1)</script>",
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)",
  "</td></tr></table><img src=x onerror=alert(1)>",
  "&lt;already escaped&gt;",
];

/** True when the text has no markup-significant character left raw. */
const inert = (s: string) => !/[<>"']/.test(s) && !/&(?!(amp|lt|gt|quot|#39);)/.test(s);

describe("escapeHtml", () => {
  it("escapes & < > \" and '", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });

  it.each(HOSTILE)("leaves nothing live in %s", (s) => {
    expect(inert(escapeHtml(s))).toBe(true);
  });
});

describe("html", () => {
  it("escapes interpolated strings in content and in quoted attributes", () => {
    const out = html`<td title="${'" onmouseover="x'}">${"<script>alert(1)</script>"}</td>`.text;
    expect(out).toBe('<td title="&quot; onmouseover=&quot;x">&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(out).not.toContain("<script>");
  });

  it("inserts Html and raw() markup as it is, and nothing for null, undefined and false", () => {
    const inner = html`<b>${"a&b"}</b>`;
    expect(html`<p>${inner}${raw("<svg></svg>")}${null}${undefined}${false}</p>`.text).toBe(
      "<p><b>a&amp;b</b><svg></svg></p>",
    );
  });

  it("escapes each item of an array and prints numbers and true", () => {
    expect(html`${["<a>", html`<i>x</i>`, 3, true]}`.text).toBe("&lt;a&gt;<i>x</i>3true");
  });

  it("joins with an escaped separator and renders optional attributes", () => {
    expect(join(["a", "<b>"], " & ").text).toBe("a &amp; &lt;b&gt;");
    expect(html`<td${attr("class", undefined)}>`.text).toBe("<td>");
    expect(html`<td${attr("class", 'x"y')}>`.text).toBe('<td class="x&quot;y">');
  });
});

describe("page", () => {
  it("is a complete document with the landmarks, charset, viewport and inline style", () => {
    const doc = page({ title: "Review <queue>", body: html`<p>hello</p>` });
    expect(doc.startsWith("<!doctype html>")).toBe(true);
    expect(doc).toContain('<html lang="en">');
    expect(doc).toContain('<meta charset="utf-8">');
    expect(doc).toContain('<meta name="viewport"');
    expect(doc).toContain("<title>Review &lt;queue&gt; · clue</title>");
    expect(doc).toContain("<h1>Review &lt;queue&gt;</h1>");
    expect(doc).toMatch(/<header class="site">\s*<p class="brand">clue<\/p>/);
    expect(doc).toMatch(/<main id="main">[\s\S]*<p>hello<\/p>[\s\S]*<\/main>/);
    expect(doc).toMatch(/<style>[\s\S]*:focus-visible[\s\S]*<\/style>/);
    // Self-contained: nothing that would load a file or reach the network.
    expect(doc).not.toMatch(/<link\b|<script\b[^>]*\bsrc=|https?:\/\//);
  });

  it("has a CSP that forbids every fetch but same-origin connections, and no script when none is given", () => {
    const doc = page({ title: "Report", body: html``, connectSrc: "'none'" });
    const csp = contentSecurityPolicy({ script: false, connectSrc: "'none'" });
    expect(doc).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("img-src data:");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(doc).not.toContain("<script");
  });

  it("inlines a script, allows inline scripts and same-origin connections, and cannot be closed early", () => {
    const doc = page({ title: "Review", body: html``, script: 'const s = "</script><b>";' });
    expect(doc).toContain("script-src &#39;unsafe-inline&#39;; connect-src &#39;self&#39;");
    expect(doc).toContain('<script>const s = "<\\/script><b>";</script>');
    expect(doc.match(/<\/script>/g)).toHaveLength(1);
  });

  it("takes a language, a separate heading and a context line", () => {
    const doc = page({ title: "T", heading: "H", context: "project <x>", lang: "fr", body: html`` });
    expect(doc).toContain('<html lang="fr">');
    expect(doc).toContain("<h1>H</h1>");
    expect(doc).toContain('<p class="context">project &lt;x&gt;</p>');
  });
});
