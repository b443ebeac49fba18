// A Kubernetes API error as the reader's language says it: the same English as describeKubeError
// (src/adapters/kubectl/errors.ts) as a catalogue message; the server's or kubectl's own words stay as they are.
import { describeKubeError, type KubeError } from '../adapters/kubectl/errors.js';
import { msg, type ParamValue } from '../i18n/index.js';

/** describeKubeError as a message parameter: a Message where regdoctor words it, else the error's own text. */
export function kubeErrorParam(e: KubeError): ParamValue {
  if (e.error === 'forbidden' && e.verb && e.resource)
    return msg('node.kube.forbidden', {
      verb: e.verb,
      resource: `${e.resource}${e.apiGroup ? `.${e.apiGroup}` : ''}`,
      where: e.namespace ? msg('node.kube.inNamespace', { namespace: e.namespace }) : msg('node.kube.clusterScope'),
      who: e.user ? msg('node.kube.forUser', { user: e.user }) : '',
    });
  switch (e.error) {
    case 'unreachable':
      return msg('node.kube.unreachable', { error: e.message });
    case 'unauthorized':
      return msg('node.kube.unauthorized', { error: e.message });
    case 'invalid':
      return msg('node.kube.invalid', { error: e.message });
    default:
      return describeKubeError(e);
  }
}
