// Requests the tenancy tests make again and again: an admin call with the master key, and a chat
// completion with a virtual key. Both answer the parsed JSON body (a chat call also its status and
// headers), whatever the status, so a test can assert refusals as easily as successes.

export async function adminRequest(url, masterKey, method, path, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${masterKey}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  return response.json();
}

export async function chatAs(url, key, body) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) };
}
