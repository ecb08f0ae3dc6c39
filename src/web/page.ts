import { html, raw, type Html } from "./html.js";
import { stylesheet } from "./style.js";

export interface PageOptions {
  /** The document title and, unless `heading` says otherwise, the page's <h1>. */
  title: string;
  /** The h1 at the top of <main>; defaults to the title. */
  heading?: string;
  /** A short line beside the product name, such as the project or revision. */
  context?: string;
  lang?: string;
  body: Html;
  /** Inline JavaScript (trusted: the program's own code, never data). Without it the page may run no script. */
  script?: string;
  /**
   * Where script may connect: the review app talks to its own local server ('self'); the offline report has no
   * script and talks to nothing ('none').
   */
  connectSrc?: "'self'" | "'none'";
}

/**
 * The Content-Security-Policy: the page loads nothing from anywhere, so a hostile value that slipped past escaping
 * could still neither run a remote script nor send data out. Inline style and script are allowed because a single
 * self-contained file has nowhere else to keep them; without a script the policy forbids scripts altogether.
 */
export function contentSecurityPolicy(options: { script: boolean; connectSrc: "'self'" | "'none'" }): string {
  return [
    "default-src 'none'",
    "img-src data:",
    "style-src 'unsafe-inline'",
    `script-src ${options.script ? "'unsafe-inline'" : "'none'"}`,
    `connect-src ${options.connectSrc}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
}

/** "</script" inside a script would end the element early; "<\/script" means the same to JavaScript. */
function scriptText(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1");
}

/** A complete HTML document: one file, no external resources, with the landmarks a screen reader navigates by. */
export function page(options: PageOptions): string {
  const { title, heading = title, context, lang = "en", body, script, connectSrc = "'self'" } = options;
  const csp = contentSecurityPolicy({ script: script !== undefined, connectSrc });
  const doc = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="clue">
<title>${title} · clue</title>
<style>${raw(stylesheet)}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site">
<p class="brand">clue</p>
${context !== undefined && html`<p class="context">${context}</p>`}
</header>
<main id="main">
<h1>${heading}</h1>
${body}
</main>
${script !== undefined && html`<script>${raw(scriptText(script))}</script>`}
</body>
</html>
`;
  return doc.text;
}
