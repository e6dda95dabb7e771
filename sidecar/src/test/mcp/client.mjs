// The agent side for the gateway's integration tests: the official TypeScript SDK client over
// Streamable HTTP. Usage: node client.mjs URL 'STEPS_JSON'. STEPS is a list of
//   {"op":"list"}                        all pages of tools/list (follows nextCursor)
//   {"op":"call","name":N,"args":{...}}  tools/call
//   {"op":"waitListChanged","ms":N}      waits for notifications/tools/list_changed
//   {"op":"terminate"}                   ends the session (DELETE)
//   {"op":"resources"} / {"op":"templates"} / {"op":"prompts"}   the other listings
//   {"op":"read","uri":U} / {"op":"subscribe","uri":U} / {"op":"unsubscribe","uri":U}
//   {"op":"prompt","name":N,"args":{...}}  prompts/get
//   {"op":"ping"} / {"op":"setLevel","level":L} / {"op":"complete","params":{...}}
//   {"op":"raw","method":M,"params":{...}}  any request, as the SDK would send it
// Prints one JSON object: {"version": negotiated, "results": [...]}; errors become {"error": {code, message}}.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResultSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

const [url, stepsJson] = process.argv.slice(2);
const steps = JSON.parse(stepsJson ?? '[]');
const client = new Client({ name: 'tollgate-it-agent', version: '1.0.0' });
let listChanged = 0;
client.setNotificationHandler(ToolListChangedNotificationSchema, () => { listChanged++; });
const transport = new StreamableHTTPClientTransport(new URL(url));
const results = [];
const failure = (error) => ({ error: { code: error.code ?? null, message: String(error.message ?? error) } });
try {
  await client.connect(transport);
  for (const step of steps) {
    try {
      if (step.op === 'list') {
        const tools = [];
        let cursor;
        let pages = 0;
        do {
          const page = await client.listTools(cursor ? { cursor } : {});
          pages++;
          tools.push(...page.tools);
          cursor = page.nextCursor;
        } while (cursor);
        results.push({ pages, tools: tools.map((t) => ({ name: t.name, annotations: t.annotations ?? null })) });
      } else if (step.op === 'call') {
        results.push(await client.callTool({ name: step.name, arguments: step.args ?? {} }));
      } else if (step.op === 'waitListChanged') {
        const until = Date.now() + (step.ms ?? 5000);
        while (listChanged === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        results.push({ listChanged });
      } else if (step.op === 'resources') {
        results.push(await client.listResources({}));
      } else if (step.op === 'templates') {
        results.push(await client.listResourceTemplates({}));
      } else if (step.op === 'prompts') {
        results.push(await client.listPrompts({}));
      } else if (step.op === 'read') {
        results.push(await client.readResource({ uri: step.uri }));
      } else if (step.op === 'subscribe') {
        results.push(await client.subscribeResource({ uri: step.uri }));
      } else if (step.op === 'unsubscribe') {
        results.push(await client.unsubscribeResource({ uri: step.uri }));
      } else if (step.op === 'prompt') {
        results.push(await client.getPrompt({ name: step.name, arguments: step.args ?? {} }));
      } else if (step.op === 'ping') {
        results.push(await client.ping());
      } else if (step.op === 'setLevel') {
        results.push(await client.setLoggingLevel(step.level));
      } else if (step.op === 'complete') {
        results.push(await client.complete(step.params));
      } else if (step.op === 'raw') {
        results.push(await client.request({ method: step.method, params: step.params ?? {} }, ResultSchema));
      } else if (step.op === 'terminate') {
        await transport.terminateSession();
        results.push({ terminated: true });
      }
    } catch (error) {
      results.push(failure(error));
    }
  }
  process.stdout.write(JSON.stringify({ version: transport.protocolVersion ?? null, results }) + '\n');
  await client.close();
} catch (error) {
  process.stdout.write(JSON.stringify({ connectError: failure(error), results }) + '\n');
}
process.exit(0);
