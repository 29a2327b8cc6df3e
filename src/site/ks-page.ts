/**
 * `<ks-page>`: the shell every demo page shares, so the site reads as one book.
 * It draws the header (site navigation and the adapter in use, or a plain banner
 * when there is no WebGPU) and lays out the page's own sections, slotted in.
 *
 * It starts with a skip link to the content, and keeps the state of the page's elements in the URL
 * hash (`element-state.ts`), so that a link reproduces what the reader set.
 *
 * @attr page - the page id from `SITE_PAGES` (highlights it in the navigation).
 * @slot - the page's sections.
 * @fires ks-gpu - `{detail: {gpu, reason}}` once the shared device request settles.
 * @cssprop --ks-bg, --ks-fg, --ks-muted, --ks-accent, --ks-panel - the palette.
 */
import { KS_STYLES } from '../viz/styles';
import { LitElement, css, html, nothing } from 'lit';
import { SITE_PAGES } from './site';
import { keepElementState } from './element-state';
import { acquireGpu, gpuUnavailableReason, releaseGpu } from '../viz/shared-gpu';
import type { Gpu } from '../gpu/device';

export class KsPage extends LitElement {
  static override properties = {
    page: { type: String },
    adapter: { state: true },
    noGpu: { state: true },
  };

  declare page: string;
  declare adapter: string | null;
  declare noGpu: string | null;

  static override styles = [
    KS_STYLES,
    css`
      :host {
        display: block;
        color: var(--_fg);
        background: var(--_bg);
      }
      header {
        border-bottom: 1px solid var(--_grid);
        padding: 0.6rem 1.2rem;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1.2rem;
        align-items: baseline;
      }
      .brand {
        font-weight: 700;
        color: var(--_fg);
        text-decoration: none;
        margin-right: 0.6rem;
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.2rem 0.9rem;
        font-size: 0.92rem;
      }
      nav a {
        color: var(--_muted);
        text-decoration: none;
      }
      nav a[aria-current='page'] {
        color: var(--_accent);
        font-weight: 600;
      }
      nav a:hover {
        color: var(--_fg);
        text-decoration: underline;
      }
      .adapter {
        margin-left: auto;
        font-size: 0.8rem;
        color: var(--_muted);
        font-family: ui-monospace, monospace;
      }
      .banner {
        background: var(--_panel);
        border-left: 4px solid var(--_series-1);
        padding: 0.5rem 1.2rem;
        font-size: 0.92rem;
      }
      .skip {
        position: absolute;
        left: 0.5rem;
        top: -3rem;
        padding: 0.3rem 0.7rem;
        background: var(--_panel);
        color: var(--_fg);
        border: 2px solid var(--_accent);
        z-index: 10;
      }
      .skip:focus {
        top: 0.5rem;
      }
      main {
        max-width: 72rem;
        margin: 0 auto;
        padding: 0.5rem 1.2rem 3rem;
      }
    `,
  ];

  constructor() {
    super();
    this.page = '';
    this.adapter = null;
    this.noGpu = null;
  }

  /** Stops recording the elements' state in the hash. */
  private stopKeeping: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopKeeping ??= keepElementState(document);
    void acquireGpu().then((gpu: Gpu | null) => {
      if (gpu)
        this.adapter = [gpu.info.vendor, gpu.info.architecture, gpu.info.description].filter(Boolean).join(' · ') || 'WebGPU adapter';
      else this.noGpu = gpuUnavailableReason() ?? 'unknown reason';
      this.dispatchEvent(new CustomEvent('ks-gpu', { detail: { gpu, reason: this.noGpu }, bubbles: true, composed: true }));
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopKeeping?.();
    this.stopKeeping = null;
    releaseGpu();
  }

  /** The skip link: focus goes to the page's first heading (or its first section), past the navigation. */
  private skipToContent(e: Event): void {
    e.preventDefault();
    const target = this.querySelector<HTMLElement>('h1, h2') ?? this.firstElementChild;
    if (!(target instanceof HTMLElement)) return;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
  }

  override render() {
    return html`
      <a class="skip" href="#content" @click=${this.skipToContent}>Skip to content</a>
      <header>
        <a class="brand" href="./index.html">kernelscope</a>
        <nav aria-label="topics">
          ${SITE_PAGES.map((p) => html`<a href="./${p.id}.html" aria-current=${p.id === this.page ? 'page' : nothing}>${p.title}</a>`)}
        </nav>
        <span class="adapter" title="the WebGPU adapter in use">${this.adapter ?? (this.noGpu ? 'no WebGPU' : 'requesting GPU…')}</span>
      </header>
      ${this.noGpu ? html`<div class="banner" role="status">No WebGPU here: showing the CPU reference. (${this.noGpu})</div>` : nothing}
      <main id="content"><slot></slot></main>
    `;
  }
}

if (!customElements.get('ks-page')) customElements.define('ks-page', KsPage);

declare global {
  interface HTMLElementTagNameMap {
    'ks-page': KsPage;
  }
}
