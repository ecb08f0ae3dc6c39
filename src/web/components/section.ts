import { html, type Html } from "../html.js";

export interface SectionOptions {
  /** A fragment id, such as "scores": the table of contents links to it. */
  id: string;
  title: string;
  body: Html;
  /** The heading level; sections of a page are h2, a section inside one h3. */
  level?: 2 | 3;
}

/** A titled part of a page: a labelled region, so screen readers list it and its heading among the landmarks. */
export function section(options: SectionOptions): Html {
  const { id, title, body, level = 2 } = options;
  const heading =
    level === 2 ? html`<h2 id="${id}-title">${title}</h2>` : html`<h3 id="${id}-title">${title}</h3>`;
  return html`<section id="${id}" aria-labelledby="${id}-title">
${heading}
${body}
</section>`;
}

/** Links to a page's sections, for jumping straight to one. */
export function toc(sections: readonly { id: string; title: string }[], label = "Contents"): Html {
  return html`<nav class="toc" aria-label="${label}">
<ul>${sections.map((s) => html`<li><a href="#${s.id}">${s.title}</a></li>`)}</ul>
</nav>`;
}
