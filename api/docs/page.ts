/**
 * A readable page of the OpenAPI document, rendered on the server from the document itself
 * (no Swagger UI: it would load scripts from a CDN, and this machine is offline).
 */
interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<
    string,
    Record<
      string,
      {
        summary?: string;
        tags?: string[];
        parameters?: {
          name: string;
          in: string;
          required?: boolean;
          schema?: { type?: string; default?: unknown; enum?: unknown[] };
          description?: string;
        }[];
        responses?: Record<string, { description?: string }>;
      }
    >
  >;
}

const escapeHtml = (value: unknown) =>
  String(value).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

export function renderApiPage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );
  const rows = operations
    .map(({ path, method, operation }) => {
      const parameters = (operation.parameters ?? [])
        .map((p) => {
          const type = p.schema?.enum ? p.schema.enum.join(' | ') : (p.schema?.type ?? '');
          const fallback = p.schema?.default === undefined ? '' : ` = ${JSON.stringify(p.schema.default)}`;
          return `<li><code>${escapeHtml(p.name)}</code> <small>${escapeHtml(p.in)}${p.required ? ', required' : ''}</small> ${escapeHtml(type)}${escapeHtml(fallback)} ${escapeHtml(p.description ?? '')}</li>`;
        })
        .join('');
      const responses = Object.entries(operation.responses ?? {})
        .map(([status, response]) => `<li><b>${escapeHtml(status)}</b> ${escapeHtml(response.description ?? '')}</li>`)
        .join('');
      return `<section><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
        <p>${escapeHtml(operation.summary ?? '')}</p>${parameters ? `<h4>Parameters</h4><ul>${parameters}</ul>` : ''}<h4>Responses</h4><ul>${responses}</ul></section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(document.info.title)} · API</title>
<style>body{font:15px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2433}
section{border-top:1px solid #dde3ee;padding:.5rem 0}h3{margin:.5rem 0}code{background:#f2f5fa;padding:0 .25rem;border-radius:3px}
.m{display:inline-block;min-width:4rem;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:2px 6px}.get{background:#2f7de1}.post{background:#22a06b}
.put,.patch{background:#d97706}.delete{background:#dc2626}small{color:#667085}</style></head><body>
<h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1><p>${escapeHtml(document.info.description ?? '')}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1)</p>${rows}</body></html>`;
}
