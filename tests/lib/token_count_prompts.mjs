// Prompts for the token-count accuracy test (router_precall_tokens.test.mjs): each kind of text a
// gateway sees, so the stated bound is measured on all of them, not only on English prose.

const prose = `The gateway sits between applications and the model backends. It reads the configuration
once, at start, and keeps a snapshot that every request holds for its whole life. When a deployment
fails, the router decides from the kind of failure alone whether to retry it, to move to a sibling,
or to fall back to another group. Operators read the route a request took from a response header,
so they can see at a glance why traffic went elsewhere. Nothing here is clever; it is careful.
Internationalization, misconfiguration and extraordinarily long words are counted like the rest.`;

const code = `#include <vector>
template <class T>
std::size_t count_if_positive(const std::vector<T>& values) {
    std::size_t n = 0;
    for (const auto& v : values) {
        if (v > T{0}) ++n;  // strictly positive only
    }
    return n;
}

def fetch_user(session, user_id: int) -> dict:
    response = session.get(f"https://api.example.com/v1/users/{user_id}", timeout=30)
    response.raise_for_status()
    return response.json()["data"]

const getElementById = (id) => document.querySelector(\`#\${id}\`)?.dataset?.value ?? null;`;

const json = JSON.stringify({
  id: 'chatcmpl-8f3a2b', object: 'chat.completion', created: 1718000000,
  items: [{ sku: 'A-1029', qty: 3, price: 19.99 }, { sku: 'B-77', qty: 1, price: 249.5 }],
  nested: { flags: [true, false, null], note: 'quoted "text" with \\ backslash' },
}, null, 2);

const numbers = 'Readings: 3.14159 2.71828 1.41421 1234567890 9876543210 0.000123 -42 1e10 ' +
  Array.from({ length: 60 }, (_, i) => String((i * 7919) % 100003)).join(', ');

const cjk = '我们的网关位于应用程序和模型后端之间。它在启动时读取一次配置，并保留每个请求在其整个生命周期中持有的快照。' +
  'ゲートウェイはアプリケーションとモデルの間にあります。設定を一度だけ読み込みます。' +
  '게이트웨이는 애플리케이션과 모델 백엔드 사이에 있습니다.';

const emoji = 'Launch day 🚀🎉 — the team 👨‍👩‍👧‍👦 is happy 😀😀😀, the graphs 📈 look good ✅, coffee ☕️ is gone 😅.';

const whitespace = 'start' + ' '.repeat(300) + 'middle' + '\n'.repeat(50) + '\t\t\t\tindented' +
  ' \n'.repeat(20) + 'end' + '        '.repeat(10);

const europe = 'Привет, как дела? Всё хорошо, спасибо. Γειά σου κόσμε. Ça coûte très cher, naïve café. ' +
  'Größere Straßen führen über die Brücke. ¿Dónde está la biblioteca? Åsa och Øystein åker skidor.';

const identifiers = 'user_id session_token getElementById XMLHttpRequest parseInt toLowerCase snake_case_name ' +
  'kMaxRetries HTTP2ServerPushEnabled __init__ self.assertEqual(expected, actual)';

const random = 'key=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 ' +
  'uuid=3fa85f64-5717-4562-b3fc-2c963f66afa6 blob=TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuIFF1aXRlIHNv' +
  'bWUgcmFuZG9tIGJ5dGVzOiB4cXpqdmt3cCBmZmZmIDAwMDA= zxcvbnmqwrtyp qwrtzpsdfghjkl';

function user(content) {
  return { role: 'user', content };
}

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name, e.g. Paris' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', description: 'Forecast length' },
        hourly: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
        where: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' } }, required: ['lat'] },
      },
      required: ['city'],
    },
  },
};

export const tokenCountCases = [
  { name: 'english prose', messages: [user(prose)] },
  { name: 'code', messages: [{ role: 'system', content: 'You review code.' }, user(code)] },
  { name: 'json', messages: [user(json)] },
  { name: 'numbers', messages: [user(numbers)] },
  { name: 'cjk', messages: [user(cjk)] },
  { name: 'emoji', messages: [user(emoji)] },
  { name: 'long whitespace', messages: [user(whitespace)] },
  { name: 'european scripts', messages: [user(europe)] },
  { name: 'identifiers', messages: [user(identifiers)] },
  { name: 'random strings', messages: [user(random)] },
  {
    name: 'many short messages',
    messages: Array.from({ length: 80 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `ok ${i}` })),
  },
  {
    name: 'multi-part content and names',
    messages: [
      { role: 'system', content: 'Be brief.', name: 'policy' },
      { role: 'user', content: [{ type: 'text', text: prose.slice(0, 300) }, { type: 'text', text: 'Summarise.' }] },
    ],
  },
  {
    name: 'tools and tool calls',
    tools: [weatherTool, { type: 'function', function: { name: 'noop', description: 'Does nothing' } }],
    messages: [
      { role: 'system', content: 'Use tools.' },
      user('Weather in Paris for 3 days?'),
      {
        role: 'assistant', content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","days":3}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp_c":21,"sky":"clear"}' },
    ],
  },
  { name: 'long prose', messages: [user(Array.from({ length: 40 }, () => prose).join('\n\n'))] },
];
