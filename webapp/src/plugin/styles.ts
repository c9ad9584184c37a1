// The console components' styles, added to the host page once (the bundle ships as one main.js). Scoped under
// .mg-console so they never touch the System Console's own elements.
export const CONSOLE_CSS = `
.mg-console { display: grid; gap: 8px; max-width: 760px; }
.mg-console .mg-row { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; }
.mg-console .mg-status-line { margin: 0; font-weight: 600; }
.mg-console .mg-checks { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.mg-console .mg-check { border: 1px solid rgba(63, 67, 80, 0.16); border-left-width: 4px; border-radius: 4px; padding: 8px 12px; }
.mg-console .mg-check-fail { border-left-color: #d24b4e; }
.mg-console .mg-check-warn { border-left-color: #c98b00; }
.mg-console .mg-check-pass { border-left-color: #2f8a4a; }
.mg-console .mg-check-head { display: flex; gap: 8px; align-items: baseline; }
.mg-console .mg-check-title { margin: 0; font-size: 14px; }
.mg-console .mg-check p { margin: 4px 0 0; }
.mg-console .mg-term { font-weight: 600; }
.mg-console .mg-badge { display: inline-block; min-width: 64px; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 700; text-align: center; }
.mg-console .mg-state-fail { background: #fbe9ea; color: #8f1d21; }
.mg-console .mg-state-warn { background: #fdf3d8; color: #6b4a00; }
.mg-console .mg-state-pass { background: #e3f3e8; color: #1c5a30; }
.mg-console .mg-summary { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.mg-console .mg-progress { width: 100%; height: 8px; }
.mg-console .mg-alert { border-radius: 4px; padding: 8px 12px; background: #fbe9ea; color: #5c1215; }
.mg-console .mg-alert p { margin: 0 0 4px; }
.mg-console button:focus-visible, .mg-console a:focus-visible { outline: 2px solid #1c58d9; outline-offset: 2px; }
`;

const STYLE_ID = 'mamgate-console-styles';

export function addStyles(doc: Document | undefined): void {
  if (!doc || doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CONSOLE_CSS;
  doc.head.appendChild(style);
}

export function removeStyles(doc: Document | undefined): void {
  doc?.getElementById(STYLE_ID)?.remove();
}
