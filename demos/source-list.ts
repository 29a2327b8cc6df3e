/** "Under the hood": each shader file as a collapsible block of its own text (never parsed as HTML). */
export function showSources(container: HTMLElement, files: readonly (readonly [name: string, text: string])[]): void {
  container.replaceChildren(
    ...files.map(([name, text]) => {
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      const code = document.createElement('code');
      code.textContent = name;
      summary.append(code);
      const pre = document.createElement('pre');
      pre.textContent = text;
      details.append(summary, pre);
      return details;
    }),
  );
}
