// LiteLLM's token_counter(messages, tools, tool_choice) arithmetic over tiktoken's real cl100k_base
// encoding: the reference llmux's estimate is measured against (reference §2.8). Per message 3
// tokens, every string member counted (a name 1 more), tool calls by their arguments, text parts of
// multi-part content, 3 for the reply primer, tool definitions in the TypeScript-like form OpenAI
// renders them, 9 for the definitions, 4 fewer when a system message is present with tools.

import { get_encoding } from 'tiktoken';

const encodings = new Map();
function encoding(name) {
  if (!encodings.has(name)) encodings.set(name, get_encoding(name));
  return encodings.get(name);
}

export function textTokens(text, name = 'cl100k_base') {
  return encoding(name).encode(text, 'all').length;
}

function formatType(props, indent) {
  switch (props.type) {
    case 'string':
      return props.enum ? props.enum.map((v) => `"${v}"`).join(' | ') : 'string';
    case 'array':
      return `${formatType(props.items ?? {}, indent)}[]`;
    case 'object':
      return `{\n${formatObject(props, indent + 2)}\n}`;
    case 'integer':
    case 'number':
      return props.enum ? props.enum.map((v) => `"${v}"`).join(' | ') : 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    default:
      return 'any';
  }
}

function formatObject(parameters, indent) {
  const properties = parameters.properties;
  if (!properties || Object.keys(properties).length === 0) return '';
  const required = parameters.required ?? [];
  const lines = [];
  for (const [key, props] of Object.entries(properties)) {
    if (props.description) lines.push(`// ${props.description}`);
    lines.push(`${key}${required.includes(key) ? '' : '?'}: ${formatType(props, indent)},`);
  }
  return lines.map((line) => ' '.repeat(Math.max(0, indent)) + line).join('\n');
}

export function functionDefinitions(tools) {
  const lines = ['namespace functions {', ''];
  for (const tool of tools) {
    const fn = tool.function;
    if (!fn || !fn.name) continue;
    if (fn.description) lines.push(`// ${fn.description}`);
    const params = fn.parameters ?? {};
    if (params.properties && Object.keys(params.properties).length > 0) {
      lines.push(`type ${fn.name} = (_: {`, formatObject(params, 0), '}) => any;', '');
    } else {
      lines.push(`type ${fn.name} = () => any;`, '');
    }
  }
  lines.push('} // namespace functions');
  return lines.join('\n');
}

export function referencePromptTokens({ messages, tools, tool_choice }, name = 'cl100k_base') {
  const count = (text) => textTokens(text, name);
  let total = 0;
  for (const message of messages) {
    total += 3;
    for (const [key, value] of Object.entries(message)) {
      if (value === null || value === undefined) continue;
      if (key === 'tool_calls') {
        for (const call of value) total += count(String(call.function?.arguments ?? ''));
      } else if (typeof value === 'string') {
        total += count(value);
        if (key === 'name') total += 1;
      } else if (key === 'content' && Array.isArray(value)) {
        for (const part of value) {
          if (part.type === 'text') total += count(String(part.text ?? ''));
          else if (part.type === 'image_url') total += 85;
        }
      }
    }
  }
  total += 3;
  if (tools && tools.length > 0) {
    total += count(functionDefinitions(tools)) + 9;
    if (messages.some((m) => m.role === 'system')) total -= 4;
  }
  if (tool_choice === 'none') total += 1;
  else if (tool_choice && typeof tool_choice === 'object') total += 7 + count(String(tool_choice.function.name));
  return total;
}
