/**
 * `<diffusion-steps>`: renders a run, responds to its attributes, draws the same
 * picture for the same attributes, survives hostile ones (inline error, last good
 * frame kept, no markup injected), falls back to the CPU and exports.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';

const harness = useHarness();

/** Page-side helper source: creates an element and waits for its first run. */
async function setup(): Promise<void> {
  await harness().page.evaluate(async () => {
    await window.ksImport('/src/viz/diffusion-steps/index.ts');
    const w = window as unknown as Record<string, unknown>;
    w.dsMake = async (attrs: Record<string, string>) => {
      const el = document.createElement('diffusion-steps') as HTMLElement & Record<string, any>;
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      const done = new Promise<string>((resolve) => {
        el.addEventListener('ks-sampled', () => resolve('sampled'), { once: true });
        el.addEventListener('ks-error', (e) => resolve(`error: ${(e as CustomEvent).detail.message}`), { once: true });
      });
      document.body.append(el);
      const how = await done;
      await el.updateComplete;
      return { el, how };
    };
    w.dsWait = (el: HTMLElement, type: string) =>
      new Promise((resolve) => el.addEventListener(type, (e) => resolve((e as CustomEvent).detail), { once: true }));
  });
}

describe('<diffusion-steps>', () => {
  it('renders the particle cloud, the training set, paths and both schedule curves', async () => {
    await setup();
    const r = await harness().page.evaluate(async () => {
      const { el, how } = await (window as any).dsMake({ dataset: 'rings', samples: '128', steps: '12', seed: '3' });
      const root = el.shadowRoot!;
      const out = {
        how,
        particles: root.querySelectorAll('#plot circle.particle').length,
        train: root.querySelectorAll('#plot circle.train').length,
        paths: root.querySelectorAll('#plot polyline.path').length,
        curves: root.querySelectorAll('#schedules path.curve').length,
        active: Array.from(root.querySelectorAll('#schedules path.curve.active')).map((p) => (p as Element).classList.contains('cosine')),
        state: el.state,
        frames: el.result.reverse.length,
        text: root.textContent,
        reflected: el.getAttribute('dataset'),
        play: [] as number[],
      };
      // play from the start: the frame advances; pause: it stops
      el.frame = 0;
      await el.updateComplete;
      (root.querySelector('button.play') as HTMLButtonElement).click();
      await new Promise((r) => setTimeout(r, 400));
      out.play.push(el.state.frame);
      (root.querySelector('button.play') as HTMLButtonElement).click();
      const paused = el.state.frame;
      await new Promise((r) => setTimeout(r, 300));
      out.play.push(paused, el.state.frame);
      el.remove();
      return out;
    });
    expect(r.how).toBe('sampled');
    expect(r.particles).toBe(128);
    expect(r.train).toBe(512);
    expect(r.paths).toBe(6);
    expect(r.curves).toBe(4);
    expect(r.active).toEqual([true, true]);
    expect(r.frames).toBe(13); // x_T plus one frame per step
    expect(r.state).toMatchObject({ mode: 'reverse', frame: 12, t: -1, backend: 'gpu', status: 'done' });
    expect(r.state.config).toMatchObject({ dataset: 'rings', schedule: 'cosine', sampler: 'ddim', steps: 12, seed: 3, samples: 128 });
    expect(r.text).toMatch(/GPU · 128 particles · DDIM 12 steps/);
    expect(r.reflected).toBe('rings');
    expect(r.play[0]).toBeGreaterThan(0);
    expect(r.play[2]).toBe(r.play[1]);
  });

  it('responds to mode, frame and data-set changes; same attributes draw the same picture', async () => {
    await setup();
    const r = await harness().page.evaluate(async () => {
      const w = window as any;
      const { el } = await w.dsMake({ dataset: 'heart', samples: '64', steps: '8', seed: '9', sampler: 'ddpm' });
      const { el: twin } = await w.dsMake({ dataset: 'heart', samples: '64', steps: '8', seed: '9', sampler: 'ddpm' });
      const pick = (e: any) => {
        const j = JSON.parse(e.exportJson());
        return JSON.stringify([j.config, j.backend, j.t, j.x]);
      };
      const same = pick(el) === pick(twin);
      twin.remove();
      el.setAttribute('mode', 'forward');
      el.frame = 0;
      await el.updateComplete;
      const forward0 = el.state;
      el.frame = 1e9;
      await el.updateComplete;
      const forwardEnd = el.state;
      el.setAttribute('mode', 'reverse');
      el.frame = 0;
      await el.updateComplete;
      const reverse0 = el.state;
      const sampled = w.dsWait(el, 'ks-sampled');
      el.setAttribute('dataset', 'glyphs');
      el.setAttribute('samples', '9');
      const detail = await sampled;
      await el.updateComplete;
      const image = el.shadowRoot!.querySelector('#plot image')?.getAttribute('href')?.slice(0, 22);
      el.remove();
      return { same, forward0, forwardEnd, reverse0, detail, image };
    });
    expect(r.same).toBe(true);
    expect(r.forward0).toMatchObject({ mode: 'forward', frame: 0, t: -1 });
    expect(r.forwardEnd).toMatchObject({ mode: 'forward', t: 999 });
    expect(r.reverse0).toMatchObject({ mode: 'reverse', frame: 0, t: 999 });
    expect(r.detail.config).toMatchObject({ dataset: 'glyphs', samples: 9 });
    expect(r.detail.medianNearest).toBeLessThan(0.05);
    expect(r.image).toBe('data:image/png;base64,');
  });

  it('survives bad attributes: inline error, last good frame kept, no markup injected', async () => {
    await setup();
    const r = await harness().page.evaluate(async () => {
      const w = window as any;
      const { el } = await w.dsMake({ dataset: 'two-moons', samples: '64', steps: '5' });
      const before = JSON.parse(el.exportJson()).x.join(',');
      const errors: string[] = [];
      el.addEventListener('ks-error', (e: Event) => errors.push((e as CustomEvent).detail.message));
      const seen: { alert: string; particles: number }[] = [];
      for (const [k, v] of [
        ['samples', '1e9'],
        ['steps', '0'],
        ['schedule', 'quadratic'],
        ['seed', '-1'],
        ['sampler', '<b>x</b>'],
        ['dataset', '<img src=x onerror="window.pwned=1">'],
      ]) {
        el.setAttribute(k, v);
        await el.updateComplete;
        const root = el.shadowRoot!;
        seen.push({
          alert: root.querySelector('[role=alert]')?.textContent ?? '',
          particles: root.querySelectorAll('#plot circle.particle').length,
        });
        el.removeAttribute(k);
        await el.updateComplete;
      }
      el.setAttribute('dataset', '<img src=x onerror="window.pwned=1">');
      await el.updateComplete;
      const injected = el.shadowRoot!.querySelectorAll('img, b').length;
      const after = JSON.parse(el.exportJson()).x.join(',');
      el.remove();
      return { seen, errors, injected, kept: before === after, pwned: (window as any).pwned ?? null };
    });
    expect(r.seen.map((s) => s.particles)).toEqual([64, 64, 64, 64, 64, 64]);
    expect(r.seen[0]!.alert).toMatch(/samples must be an integer in \[1, 8192\], got "1e9".*last good run/);
    expect(r.seen[1]!.alert).toMatch(/steps must be an integer in \[1, 1000\]/);
    expect(r.seen[2]!.alert).toMatch(/schedule/);
    expect(r.seen[3]!.alert).toMatch(/seed/);
    expect(r.seen[5]!.alert).toContain('<img src=x onerror');
    expect(r.errors.length).toBeGreaterThanOrEqual(6);
    expect(r.injected).toBe(0);
    expect(r.kept).toBe(true);
    expect(r.pwned).toBe(null);
  });

  it('falls back to the CPU reference at a smaller count and says so; exports SVG, PNG and JSON', async () => {
    await setup();
    const r = await harness().page.evaluate(async () => {
      const { el } = await (window as any).dsMake({ dataset: 'eight-gaussians', samples: '1024', steps: '10', backend: 'cpu' });
      const note = el.shadowRoot!.querySelector('.note')?.textContent ?? '';
      const svgText = el.exportSvg();
      const png = await el.exportPng(1);
      const json = JSON.parse(el.exportJson());
      el.remove();
      return {
        note,
        backend: json.backend,
        n: json.n,
        xs: json.x.length,
        svgCircles: (svgText.match(/<circle/g) ?? []).length,
        svgStart: svgText.slice(0, 4),
        pngType: png.type,
        pngBytes: png.size,
      };
    });
    expect(r.backend).toBe('cpu');
    expect(r.n).toBe(256);
    expect(r.xs).toBe(512);
    expect(r.note).toMatch(/CPU reference drew 256 of 1024 particles/);
    expect(r.svgStart).toBe('<svg');
    expect(r.svgCircles).toBeGreaterThan(256 + 512);
    expect(r.pngType).toBe('image/png');
    expect(r.pngBytes).toBeGreaterThan(1000);
  });
});
