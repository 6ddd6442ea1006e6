import { describeApiError, parseErrorResponse } from '../../src/ui/api';

describe('turning failed answers into sentences', () => {
  it.each([
    [
      "400 from Argo CD's proxy (missing or invalid headers)",
      400,
      'Invalid headers: invalid value for namespace',
      /Argo CD's proxy rejected the request \(Invalid headers: invalid value for namespace\)/,
    ],
    [
      '401 from the proxy (RBAC)',
      401,
      'Unauthorized extension request',
      /Argo CD refused the request: your role needs `extensions, invoke, cdevents`/,
    ],
    [
      '404 from the proxy (extension not configured)',
      404,
      'Extension not found',
      /Argo CD does not know the cdevents extension: .*server\.enable\.proxy\.extension.*extension\.config\.cdevents/,
    ],
    ['502 from the proxy (backend down)', 502, 'Bad Gateway', /The CDEvents backend is unavailable \(HTTP 502\)/],
    ['503 with an empty body', 503, '', /The CDEvents backend is unavailable \(HTTP 503\)/],
    [
      '400 from our backend (its JSON ErrorBody)',
      400,
      JSON.stringify({
        statusCode: 400,
        error: { name: 'BadRequest', message: 'limit must be at most 1000' },
        requestId: 'r1',
      }),
      /The CDEvents backend could not answer \(HTTP 400\): limit must be at most 1000\./,
    ],
    [
      '500 from our backend',
      500,
      JSON.stringify({ statusCode: 500, error: { name: 'InternalError', message: 'Internal Server Error' } }),
      /The CDEvents backend failed \(HTTP 500\): Internal Server Error\. Try again/,
    ],
    ['an unexpected 418', 418, "I'm a teapot", /Unexpected answer from Argo CD \(HTTP 418\): I'm a teapot/],
  ])('%s', (_name, status, body, sentence) => {
    expect(describeApiError(parseErrorResponse(status, body))).toMatch(sentence);
  });

  it('tells a plain-text 404 from the proxy apart from a JSON 404 from the backend', () => {
    expect(parseErrorResponse(404, 'Extension not found').kind).toBe('extension-missing');
    const backend = parseErrorResponse(
      404,
      JSON.stringify({ statusCode: 404, error: { name: 'NotFound', message: 'no event with key k' } }),
    );
    expect(backend).toMatchObject({
      kind: 'backend',
      status: 404,
      body: { error: { message: 'no event with key k' } },
    });
  });

  it('says the network failed when fetch itself rejects', () => {
    expect(describeApiError({ kind: 'network', message: 'Failed to fetch' })).toBe(
      'Could not reach Argo CD (Failed to fetch). Check your connection and reload the page.',
    );
  });
});
