// Kubernetes API errors as message parameters: the English is describeKubeError's, byte for byte; zh-CN and ja say
// regdoctor's part in their language and keep the server's and kubectl's words.
import { describe, expect, it } from 'vitest';
import { describeKubeError, type KubeError } from '../../src/adapters/kubectl/errors.js';
import { kubeErrorParam } from '../../src/kube/kube-error-message.js';
import { messageIn, textIn, type Message } from '../../src/i18n/index.js';

const errors: KubeError[] = [
  {
    ok: false,
    error: 'forbidden',
    verb: 'list',
    resource: 'events',
    namespace: 'shop',
    user: 'system:serviceaccount:ci:bot',
    message: 'x',
  },
  { ok: false, error: 'forbidden', verb: 'get', resource: 'nodes', apiGroup: 'metrics.k8s.io', message: 'x' },
  { ok: false, error: 'unreachable', message: 'dial tcp 10.0.0.1:6443: connect: connection refused' },
  { ok: false, error: 'unauthorized', message: 'the server has asked for the client to provide credentials' },
  { ok: false, error: 'invalid', message: 'context "prod" does not exist' },
  { ok: false, error: 'not-found', message: 'pods "web" not found' },
] as KubeError[];

const render = (lang: 'en' | 'zh-CN' | 'ja', e: KubeError) => {
  const p = kubeErrorParam(e);
  return typeof p === 'object' ? messageIn(lang, p as Message) : String(p);
};

describe('kubeErrorParam', () => {
  it('English is describeKubeError byte for byte; translations keep the server text and drop regdoctor’s English', () => {
    for (const e of errors) {
      expect(render('en', e)).toBe(describeKubeError(e));
      for (const lang of ['zh-CN', 'ja'] as const) {
        const text = render(lang, e);
        if (e.error === 'not-found') expect(text).toBe(e.message);
        else {
          expect(text, `${lang} ${e.error}`).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
          expect(text).not.toMatch(/RBAC forbids|cannot reach|rejected kubectl|kubeconfig problem|at cluster scope| in namespace /);
          if (e.error !== 'forbidden') expect(text).toContain(e.message);
        }
      }
    }
    expect(render('ja', errors[0]!)).toContain('"list"');
    expect(render('ja', errors[1]!)).toContain('nodes.metrics.k8s.io');
    expect(textIn('ja', 'node.kube.forUser', { user: 'u' })).toContain('u');
  });
});
