// react/jsx-runtime for the plugin bundle. The chat server's webapp publishes React as window.React but no JSX
// runtime, so the automatic JSX transform is pointed here (scripts/build-webapp.ts) and every element goes through
// the host's React.createElement.
import * as React from 'react';

type Props = { children?: React.ReactNode; [name: string]: unknown } | null;

function configOf(props: Props, key: React.Key | undefined): Record<string, unknown> {
  const { children: _children, ...rest } = props ?? {};
  return key === undefined ? rest : { ...rest, key };
}

export const Fragment = React.Fragment;

/** One child, or a dynamic list (whose items carry keys). */
export function jsx(type: React.ElementType, props: Props, key?: React.Key): React.ReactElement {
  const children = props?.children;
  const config = configOf(props, key);
  return children === undefined ? React.createElement(type, config) : React.createElement(type, config, children);
}

/** Static children, written out in the source: passed one by one so they need no keys. */
export function jsxs(type: React.ElementType, props: Props, key?: React.Key): React.ReactElement {
  const children = props?.children;
  const config = configOf(props, key);
  return Array.isArray(children) ? React.createElement(type, config, ...children) : React.createElement(type, config, children);
}
