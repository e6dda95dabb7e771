// An upstream MCP server for the gateway's integration tests, built with the official
// TypeScript SDK (Streamable HTTP). Usage:
//   node server.mjs --log FILE [--port N] [--token T] [--json] [--stateless] [--page-size N]
// Prints {"port": N} on its first stdout line once it listens. Appends one JSON line per HTTP
// request to the log: method, JSON-RPC method(s), tool name(s), resource URIs, prompt names,
// session, whether auth matched.
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema, CompleteRequestSchema, GetPromptRequestSchema, ListPromptsRequestSchema,
  ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema,
  ReadResourceRequestSchema, SetLevelRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const flag = (name) => args.includes(name);
const logFile = opt('--log');
const token = opt('--token', '');
const json = flag('--json');
const stateless = flag('--stateless');
const pageSize = Number(opt('--page-size', '2'));

const object = { type: 'object', properties: {} };
const TOOLS = [
  { name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
    annotations: { title: 'Read file', readOnlyHint: true } },
  { name: 'echo', description: 'Echoes its text', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
  { name: 'delete_repo', description: 'Deletes a repository', inputSchema: { type: 'object', properties: { repo: { type: 'string' } } },
    annotations: { destructiveHint: true, readOnlyHint: false } },
  { name: 'admin_panel', description: 'Not in the agent scope', inputSchema: object },
  { name: 'fail', description: 'Always fails', inputSchema: object, annotations: { readOnlyHint: true } },
  { name: 'slow', description: 'Answers after ms milliseconds', inputSchema: { type: 'object', properties: { ms: { type: 'number' } } },
    annotations: { readOnlyHint: true } },
  { name: 'toggle', description: 'Says the tool list changed', inputSchema: object, annotations: { readOnlyHint: true } },
];

const RESOURCES = [
  { uri: 'file:///workspace/readme.md', name: 'readme', mimeType: 'text/markdown' },
  { uri: 'file:///etc/passwd', name: 'passwd' },
  { uri: 'file:///workspace/%2e%2e/etc/shadow', name: 'shadow' },
];
const PROMPTS = [
  { name: 'review', description: 'Reviews a change', arguments: [{ name: 'env', required: false }] },
  { name: 'deploy', description: 'Deploys', arguments: [] },
];

function newServer() {
  const server = new Server({ name: 'tollgate-it-upstream', version: '1.0.0' }, {
    capabilities: {
      tools: { listChanged: true }, resources: { subscribe: true, listChanged: true }, prompts: {},
      logging: {}, completions: {},
    },
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: RESOURCES }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => (
    { resourceTemplates: [{ uriTemplate: 'file:///workspace/{path}', name: 'workspace' }] }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => (
    { contents: [{ uri: request.params.uri, text: `contents of ${request.params.uri}` }] }));
  server.setRequestHandler(SubscribeRequestSchema, async () => ({}));
  server.setRequestHandler(UnsubscribeRequestSchema, async () => ({}));
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => ({
    messages: [{ role: 'user', content: { type: 'text',
      text: `${request.params.name} for ${request.params.arguments?.env ?? 'nowhere'}` } }],
  }));
  server.setRequestHandler(SetLevelRequestSchema, async () => ({}));
  server.setRequestHandler(CompleteRequestSchema, async () => ({ completion: { values: ['dev'], total: 1, hasMore: false } }));
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    const start = request.params?.cursor ? Number(request.params.cursor) : 0;
    const page = TOOLS.slice(start, start + pageSize);
    const next = start + pageSize < TOOLS.length ? String(start + pageSize) : undefined;
    return next ? { tools: page, nextCursor: next } : { tools: page };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: input = {} } = request.params;
    switch (name) {
      case 'echo':
        return { content: [{ type: 'text', text: String(input.text ?? '') }] };
      case 'read_file':
        return { content: [{ type: 'text', text: `contents of ${input.path}` }] };
      case 'delete_repo':
        return { content: [{ type: 'text', text: `deleted ${input.repo}` }] };
      case 'admin_panel':
        return { content: [{ type: 'text', text: 'admin' }] };
      case 'fail':
        return { content: [{ type: 'text', text: 'it failed on purpose' }], isError: true };
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, Number(input.ms ?? 1000)));
        return { content: [{ type: 'text', text: 'slow done' }] };
      case 'toggle':
        setTimeout(() => server.sendToolListChanged().catch(() => {}), 50);
        return { content: [{ type: 'text', text: 'toggled' }] };
      default:
        return { content: [{ type: 'text', text: `Unknown tool: ${name}` }], isError: true };
    }
  });
  return server;
}

function log(entry) {
  appendFileSync(logFile, JSON.stringify(entry) + '\n');
}

function summarize(body) {
  const messages = Array.isArray(body) ? body : body ? [body] : [];
  return {
    rpc: messages.map((m) => m.method ?? (m.result !== undefined || m.error !== undefined ? 'response' : '?')),
    tools: messages.filter((m) => m.method === 'tools/call').map((m) => m.params?.name),
    args: messages.filter((m) => m.method === 'tools/call').map((m) => m.params?.arguments ?? null),
    uris: messages.filter((m) => typeof m.method === 'string' && m.method.startsWith('resources/') && m.params?.uri)
      .map((m) => m.params.uri),
    prompts: messages.filter((m) => m.method === 'prompts/get').map((m) => m.params?.name),
  };
}

const transports = new Map();

const http = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const raw = Buffer.concat(chunks).toString('utf8');
  let body;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    body = undefined;
  }
  const session = req.headers['mcp-session-id'];
  const auth = req.headers['authorization'] === `Bearer ${token}`;
  log({ http: req.method, session: session ?? null, auth, version: req.headers['mcp-protocol-version'] ?? null,
    ...summarize(body) });
  if (token && !auth) {
    res.writeHead(401, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'unauthorized' } }));
    return;
  }
  try {
    if (stateless) {
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: json });
      const server = newServer();
      res.on('close', () => { transport.close(); server.close(); });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
      return;
    }
    let transport = session ? transports.get(session) : undefined;
    if (!transport) {
      const initializing = (Array.isArray(body) ? body : [body]).some((m) => m?.method === 'initialize');
      if (session || !initializing) {
        res.writeHead(session ? 404 : 400, { 'Content-Type': 'application/json' }).end(JSON.stringify(
          { jsonrpc: '2.0', id: null, error: { code: -32000, message: session ? 'Session not found' : 'No session' } }));
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: json,
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
      await newServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  } catch (error) {
    if (!res.headersSent) {
      res.writeHead(500).end(String(error));
    }
  }
});

http.listen(Number(opt('--port', '0')), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: http.address().port }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
