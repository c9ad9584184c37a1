// The parts of a SAML <Response> outside the signed assertion that node-saml does not read when an assertion is
// present: the top-level StatusCode and the Destination. Read with @xmldom/xmldom, the parser node-saml itself
// reads the same document with, after decodeSamlResponse has refused DTDs and oversized shapes.
import { createRequire } from 'node:module';

/** The few DOM members read here. xmldom's own typings pull the browser DOM library into the whole program. */
interface XmlElement {
  nodeType: number;
  localName: string | null;
  namespaceURI: string | null;
  firstChild: XmlElement | null;
  nextSibling: XmlElement | null;
  textContent: string | null;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
}
interface XmlParser {
  parseFromString(xml: string, mimeType: string): { documentElement: XmlElement | null } | undefined;
}
type ErrorHandler = { warning(): void; error(): void; fatalError(): void };
const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as {
  DOMParser: new (options: { errorHandler: ErrorHandler }) => XmlParser;
};

export const SAML_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML_STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const MAX_TEXT = 200;

export interface ResponseEnvelope {
  /** Response/@Destination, or null when absent. */
  destination: string | null;
  /** Response/Status/StatusCode/@Value (the top-level code), or null when there is none. */
  statusCode: string | null;
  /** The second-level StatusCode and StatusMessage, when the IdP sent them (said in a refusal, bounded). */
  statusDetail: string;
}

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);

function childElements(node: XmlElement, localName: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 1 && child.localName === localName && child.namespaceURI === SAML_PROTOCOL_NS) found.push(child);
  }
  return found;
}

/** The envelope, or undefined when the document is not a well-formed protocol Response. */
export function readResponseEnvelope(xml: string): ResponseEnvelope | undefined {
  let malformed = false;
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: () => {
        malformed = true;
      },
      fatalError: () => {
        malformed = true;
      },
    },
  }).parseFromString(xml, 'text/xml');
  const root = doc?.documentElement;
  if (malformed || !root || root.localName !== 'Response' || root.namespaceURI !== SAML_PROTOCOL_NS) return undefined;
  const destination = root.hasAttribute('Destination') ? root.getAttribute('Destination') : null;
  const statuses = childElements(root, 'Status');
  const code = statuses.length === 1 ? childElements(statuses[0]!, 'StatusCode')[0] : undefined;
  const nested = code ? childElements(code, 'StatusCode')[0]?.getAttribute('Value') : undefined;
  const message = statuses.length === 1 ? childElements(statuses[0]!, 'StatusMessage')[0]?.textContent?.trim() : undefined;
  return {
    destination,
    statusCode: code?.getAttribute('Value') || null,
    statusDetail: clip([nested, message].filter(Boolean).join(': ') || 'no status message'),
  };
}
